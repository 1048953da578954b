import { FeatureStoreError } from '../errors';

/** Placeholder action for a command whose issue has not landed. */
export function notYet(what: string): () => never {
  return () => {
    throw new FeatureStoreError('NOT_IMPLEMENTED', `${what} is not available yet`, 'see the open issues');
  };
}
