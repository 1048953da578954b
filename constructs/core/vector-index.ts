import { Construct } from 'constructs';
import type { VectorAlgorithmSpec, VectorIndexSpec, VectorMetric } from '@featurestack/runtime/manifest';
import { VECTOR_METRICS, withHash } from '@featurestack/runtime/manifest';
import type { FeatureView } from './feature-view';
import type { Field } from './field';
import { checkRegistryName, problem, validateAtSynth } from './validation';
import { arrayOf, Float32, Float64, type ValueType } from './value-types';

export type { VectorMetric } from '@featurestack/runtime/manifest';

/** The element types an embedding may have. */
const EMBEDDING_DTYPES = ['Array(Float32)', 'Array(Float64)'];

/** A field holding an embedding of a known length: `embeddingField('embedding', 384)`. */
export interface EmbeddingField extends Field {
  /** Number of elements in every embedding. */
  readonly dimension: number;
}

export interface EmbeddingFieldOptions {
  /** `Float32` or `Float64`. @default Float32 */
  readonly element?: typeof Float32 | typeof Float64;
  /** @default '' */
  readonly description?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** An `Array(Float32)` (or `Array(Float64)`) field that carries its dimension, for a VectorIndex. */
export function embeddingField(name: string, dimension: number, options: EmbeddingFieldOptions = {}): EmbeddingField {
  return { name, dtype: arrayOf(options.element ?? Float32) as ValueType, dimension, description: options.description, tags: options.tags };
}

export interface HnswOptions {
  /** Links per node (Redis `M`, hnswlib `M`). @default 16 */
  readonly m?: number;
  /** Candidates kept while building (`EF_CONSTRUCTION`). @default 200 */
  readonly efConstruction?: number;
  /** Candidates kept while searching (`EF_RUNTIME`). @default 64 */
  readonly efRuntime?: number;
}

/** How the nearest vectors are found: an approximate HNSW graph, or an exact scan (`flat`). */
export class VectorAlgorithm {
  static hnsw(options: HnswOptions = {}): VectorAlgorithm {
    return new VectorAlgorithm({ kind: 'hnsw', m: options.m ?? 16, efConstruction: options.efConstruction ?? 200, efRuntime: options.efRuntime ?? 64 });
  }

  static flat(): VectorAlgorithm {
    return new VectorAlgorithm({ kind: 'flat' });
  }

  private constructor(readonly spec: VectorAlgorithmSpec) {}
}

export interface VectorIndexProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /** The online view holding the embeddings. */
  readonly featureView: FeatureView;
  /** The embedding feature of that view, by name or as declared in its schema. */
  readonly field: string | Field;
  /** Elements per embedding. @default the field's own dimension (see `embeddingField`) */
  readonly dimension?: number;
  /** @default 'COSINE' */
  readonly metric?: VectorMetric;
  /** @default VectorAlgorithm.hnsw() */
  readonly algorithm?: VectorAlgorithm;
}

/**
 * A similarity index over one embedding feature of an online view, served by
 * `retrieveOnlineDocuments`: a `FT.CREATE … VECTOR` index on Redis, an in-process
 * index on the embedded store. One per view.
 */
export class VectorIndex extends Construct {
  readonly name: string;
  readonly featureView: FeatureView;
  readonly fieldName: string;
  readonly dimension: number | undefined;
  readonly metric: VectorMetric;
  readonly algorithm: VectorAlgorithm;
  private readonly declaredField: Field | undefined;

  constructor(scope: Construct, id: string, props: VectorIndexProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.featureView = props.featureView;
    this.fieldName = typeof props.field === 'string' ? props.field : props.field.name;
    this.declaredField = typeof props.field === 'string' ? undefined : props.field;
    this.metric = props.metric ?? 'COSINE';
    this.algorithm = props.algorithm ?? VectorAlgorithm.hnsw();
    this.dimension = props.dimension ?? this.field()?.dimension;
    validateAtSynth(this, () => this.check());
  }

  /** The field as the view declares it (with its dimension when it is an EmbeddingField). */
  private field(): (Field & { dimension?: number }) | undefined {
    return (this.featureView.schema.find((f) => f.name === this.fieldName) ?? this.declaredField) as (Field & { dimension?: number }) | undefined;
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'vector index', this.name);
    const view = this.featureView;
    const field = view.schema.find((f) => f.name === this.fieldName);
    if (!field) {
      const names = view.schema.map((f) => f.name).join(', ');
      errors.push(problem(this, `feature view "${view.name}" has no feature "${this.fieldName}"`, `name one of its features (${names}), or add an embeddingField("${this.fieldName}", <dimension>) to its schema`));
    } else if (!EMBEDDING_DTYPES.includes(field.dtype.dtype)) {
      errors.push(problem(this, `feature "${this.fieldName}" is ${field.dtype.dtype}, not an embedding`, 'declare it as Array(Float32) or Array(Float64), e.g. embeddingField("embedding", 384)'));
    }
    if (view.entities.length === 0) errors.push(problem(this, `feature view "${view.name}" has no entities, so it holds one embedding`, 'give the view an entity (e.g. a document chunk id) to index one embedding per entity'));
    if (!view.online) errors.push(problem(this, `feature view "${view.name}" is not online`, 'set online: true on it: vector search reads the online store'));
    errors.push(...this.checkDimension(field as (Field & { dimension?: number }) | undefined));
    if (!(VECTOR_METRICS as readonly string[]).includes(this.metric)) {
      errors.push(problem(this, `metric "${this.metric}" is not one of ${VECTOR_METRICS.join(', ')}`, "use 'COSINE', 'L2' or 'IP'"));
    }
    const algorithm = this.algorithm.spec;
    if (algorithm.kind === 'hnsw') {
      for (const [param, value] of Object.entries({ m: algorithm.m, efConstruction: algorithm.efConstruction, efRuntime: algorithm.efRuntime })) {
        if (!Number.isInteger(value) || value < 1) errors.push(problem(this, `HNSW ${param} must be a whole number >= 1, got ${value}`, `give VectorAlgorithm.hnsw({ ${param}: 16 }) or leave it out`));
      }
    }
    const others = view.node.root.node.findAll().filter((c): c is VectorIndex => c instanceof VectorIndex && c !== this && c.featureView === view);
    if (others.length > 0) errors.push(problem(this, `feature view "${view.name}" already has the vector index ${others[0].node.path}`, 'declare one vector index per feature view'));
    return errors;
  }

  private checkDimension(field: (Field & { dimension?: number }) | undefined): string[] {
    const dimension = this.dimension;
    if (dimension === undefined) return [problem(this, `no dimension for feature "${this.fieldName}"`, 'give dimension, or declare the field with embeddingField(name, dimension)')];
    if (!Number.isInteger(dimension) || dimension < 1) return [problem(this, `dimension must be a whole number >= 1, got ${dimension}`, 'give the length of the embeddings, e.g. 384')];
    const declared = field?.dimension;
    if (declared !== undefined && declared !== dimension) {
      return [problem(this, `dimension ${dimension} differs from the ${declared} feature "${this.fieldName}" declares`, `use one dimension: ${declared}, or change the field`)];
    }
    return [];
  }

  toSpec(): VectorIndexSpec {
    return withHash<VectorIndexSpec>({
      name: this.name,
      featureView: this.featureView.name,
      field: this.fieldName,
      dimension: this.dimension ?? 0,
      metric: this.metric,
      algorithm: { ...this.algorithm.spec },
    });
  }
}
