/** Every URL the catalog pages link to, in one place. */
export const CATALOG_ROOT = '/catalog';

const at = (kind: string, name: string) => `${CATALOG_ROOT}/${kind}/${encodeURIComponent(name)}`;

export const links = {
  index: (query?: string) => (query ? `${CATALOG_ROOT}?q=${encodeURIComponent(query)}` : CATALOG_ROOT),
  /** The index showing one kind: `entity`, `featureView`, `featureService` or `feature`. */
  kind: (kind: string) => `${CATALOG_ROOT}?kind=${kind}`,
  entity: (name: string) => at('entities', name),
  featureView: (name: string) => at('feature-views', name),
  featureService: (name: string) => at('feature-services', name),
  onDemandView: (name: string) => at('on-demand-views', name),
  /** A feature is a row of its view's page. */
  feature: (view: string, feature: string) => `${at('feature-views', view)}#${featureAnchor(feature)}`,
  tag: (key: string, value: string) => links.index(`tag:${key}=${value}`),
  owner: (owner: string) => links.index(`owner:${owner}`),
};

export function featureAnchor(feature: string): string {
  return `feature-${feature}`;
}
