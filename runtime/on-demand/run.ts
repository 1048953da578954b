/** Runs a row-shaped transform over a batch of rows, checking what it returns. */
import { FeatureStoreError } from '../errors';
import type { OnDemandProjection } from './plan';
import type { TransformFunction } from './transform-bundle';
import { checkOutput, type TransformValue } from './values';

function messageOf(e: unknown): string {
  return e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as Error).message : String(e);
}

/** Per input (in `p.inputs` order), its value at a row. */
export type InputColumn = (row: number) => TransformValue;

/**
 * Calls the transform once per row and returns the asked outputs, column by column
 * (`[output][row]`). A throw, a result that is not an object, a missing output and
 * a value of the wrong type are TRANSFORM_FAILED errors naming the view and the row.
 */
export function runTransform(p: OnDemandProjection, fn: TransformFunction, count: number, inputs: readonly InputColumn[]): TransformValue[][] {
  const view = p.view.name;
  const source = `${p.view.transform.module} (export ${p.view.transform.export})`;
  const out = p.outputs.map(() => new Array<TransformValue>(count));
  for (let row = 0; row < count; row++) {
    const args: Record<string, TransformValue> = {};
    for (let i = 0; i < inputs.length; i++) args[p.inputs[i].name] = inputs[i](row);
    let result: unknown;
    try {
      result = fn(args);
    } catch (e) {
      throw new FeatureStoreError(
        'TRANSFORM_FAILED',
        `on-demand view "${view}": the transform ${source} threw on row ${row + 1}: ${messageOf(e)}`,
        `make the transform return null for inputs it cannot handle (its inputs: ${p.inputs.map((i) => i.name).join(', ')}; a missing value is null)`,
        { cause: e },
      );
    }
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw new FeatureStoreError(
        'TRANSFORM_FAILED',
        `on-demand view "${view}": the transform ${source} returned ${Array.isArray(result) ? 'an array' : String(result)} on row ${row + 1}, not an object of outputs`,
        `return { ${p.view.features.map((f) => `${f.name}: ...`).join(', ')} }`,
      );
    }
    const record = result as Record<string, unknown>;
    for (let o = 0; o < p.outputs.length; o++) {
      const feature = p.outputs[o];
      if (!(feature.name in record)) {
        throw new FeatureStoreError(
          'TRANSFORM_FAILED',
          `on-demand view "${view}": the transform ${source} returned no "${feature.name}" on row ${row + 1}`,
          `return every feature of the schema (${p.view.features.map((f) => f.name).join(', ')}); use null for a missing value`,
        );
      }
      out[o][row] = checkOutput(feature.dtype, record[feature.name], () => `on-demand view "${view}": feature "${feature.name}" on row ${row + 1}`);
    }
  }
  return out;
}
