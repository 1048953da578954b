import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { Construct } from 'constructs';
import type { OnDemandFeatureViewSpec, OnDemandSourceSpec } from '@featurestack/runtime/manifest';
import { withHash } from '@featurestack/runtime/manifest';
import { RequestSource } from '../sources/request-source';
import { FeatureView } from './feature-view';
import { Field, fieldSpec } from './field';
import { MetadataProps, metadataSpec } from './metadata';
import { FeatureViewProjection } from './projection';
import { checkRegistryName, problem, validateAtSynth } from './validation';

/** What an on-demand view reads: request data, or stored features of a view (all of them or a `select`). */
export type OnDemandSource = RequestSource | FeatureView | FeatureViewProjection;

/**
 * The transform: a named export of a TypeScript (or JavaScript) module, called once
 * per row with an object of its inputs (request fields and stored features by name)
 * and returning an object of the view's features. It must be pure: the same inputs
 * give the same outputs online, in the feature server and in training.
 */
export interface OnDemandTransform {
  /** Path of the module; a relative path resolves against the folder synth runs in. Prefer `require.resolve('./my-transform')`. */
  readonly module: string;
  /** Name of the exported function. */
  readonly export: string;
}

export interface OnDemandFeatureViewProps extends MetadataProps {
  /** Registry name. @default the construct id */
  readonly name?: string;
  /** Request sources and feature views (or their projections) whose values the transform reads. */
  readonly sources: readonly OnDemandSource[];
  /** The transform's outputs, in order. */
  readonly schema: readonly Field[];
  readonly transform: OnDemandTransform;
}

/**
 * The module's path relative to the package (the nearest folder with a package.json)
 * holding it, e.g. `features/fare-per-mile.ts`: the same wherever the repository is
 * checked out and whichever folder synth runs in.
 */
function packageRelative(module: string): string {
  let folder = dirname(module);
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  const root = existsSync(join(folder, 'package.json')) ? folder : dirname(module);
  return relative(root, module).split(sep).join('/');
}

/** A transform bundled at synth: the code the runtime loads, and its SHA-256. */
export interface TransformBundle {
  /** Relative to the registry's folder: `transforms/<view>.js`. */
  readonly path: string;
  readonly code: string;
  readonly sha256: string;
}

type Bundled = { ok: true; bundle: TransformBundle; exported: unknown } | { ok: false; error: string };

/**
 * Feast's OnDemandFeatureView: features computed at request time by a TypeScript
 * function over request data and other views' features. At synth the module is
 * bundled with esbuild into `featurestack/transforms/<view>.js` beside registry.json,
 * and the registry records the module, the export and the bundle's SHA-256; the
 * runtime loads only a bundle with that hash.
 */
export class OnDemandFeatureView extends Construct {
  readonly name: string;
  readonly sources: readonly OnDemandSource[];
  readonly schema: readonly Field[];
  readonly transform: OnDemandTransform;
  private readonly metadata: MetadataProps;
  private bundled: Bundled | undefined;

  constructor(scope: Construct, id: string, props: OnDemandFeatureViewProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.sources = [...props.sources];
    this.schema = [...props.schema];
    this.transform = { module: props.transform.module, export: props.transform.export };
    this.metadata = props;
    validateAtSynth(this, () => this.check());
  }

  /** An on-demand view has no join keys of its own: it is read with its sources' entity rows. */
  get joinKeys(): readonly never[] {
    return [];
  }

  /** A projection with only these features, for a feature service. */
  select(features: readonly string[]): FeatureViewProjection {
    return this.projection().select(features);
  }

  /** A projection whose output columns use `alias` instead of the view name. */
  withName(alias: string): FeatureViewProjection {
    return this.projection().withName(alias);
  }

  /** The whole view, as a feature service uses it. */
  projection(): FeatureViewProjection {
    return new FeatureViewProjection(this, undefined, undefined, {});
  }

  /** The stored views it reads, each once. */
  get featureViews(): readonly FeatureView[] {
    return [...new Set(this.sources.flatMap((s) => (s instanceof FeatureView ? [s] : s instanceof FeatureViewProjection && s.view instanceof FeatureView ? [s.view] : [])))];
  }

  get requestSources(): readonly RequestSource[] {
    return this.sources.filter((s): s is RequestSource => s instanceof RequestSource);
  }

  private get modulePath(): string {
    return isAbsolute(this.transform.module) ? this.transform.module : resolve(this.transform.module);
  }

  /** The bundle written beside registry.json; throws (naming this view) when the module cannot be bundled. */
  bundle(): TransformBundle {
    const bundled = this.build();
    if (!bundled.ok) throw new Error(bundled.error);
    return bundled.bundle;
  }

  private build(): Bundled {
    if (this.bundled) return this.bundled;
    const module = this.modulePath;
    if (!existsSync(module)) {
      return (this.bundled = { ok: false, error: problem(this, `transform module ${this.transform.module} does not exist (looked at ${module})`, 'give transform.module as an absolute path, e.g. require.resolve("./fare-per-mile")') });
    }
    // Loaded only when a repository declares an on-demand view.
    const esbuild = require('esbuild') as typeof import('esbuild');
    let code: string;
    try {
      const result = esbuild.buildSync({
        entryPoints: [module],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        // Paths in the bundle's comments are relative to the module: the same bytes wherever the repository is checked out.
        absWorkingDir: dirname(module),
        legalComments: 'none',
        logLevel: 'silent',
      });
      code = result.outputFiles[0].text;
    } catch (e) {
      const first = (e as { errors?: { text: string }[] }).errors?.[0]?.text ?? (e as Error).message;
      return (this.bundled = { ok: false, error: problem(this, `transform module ${this.transform.module} does not bundle: ${first}`, 'fix the module so that esbuild can bundle it (it must be self-contained TypeScript or JavaScript)') });
    }
    let exported: unknown;
    try {
      const mod = { exports: {} as Record<string, unknown> };
      new Function('exports', 'require', 'module', `${code}\n//# sourceURL=${module}`)(mod.exports, createRequire(module), mod);
      exported = mod.exports[this.transform.export];
    } catch (e) {
      return (this.bundled = { ok: false, error: problem(this, `transform module ${this.transform.module} throws when loaded: ${(e as Error).message}`, 'keep the module free of side effects at load time') });
    }
    const sha256 = createHash('sha256').update(code, 'utf8').digest('hex');
    return (this.bundled = { ok: true, bundle: { path: `transforms/${this.name}.js`, code, sha256 }, exported });
  }

  private check(): string[] {
    const errors = checkRegistryName(this, 'on-demand view', this.name);
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(this.transform.export)) {
      errors.push(problem(this, `transform export "${this.transform.export}" is not an identifier`, 'name the exported function, e.g. export: "farePerMile"'));
    }
    if (this.schema.length === 0) errors.push(problem(this, 'the schema has no features', 'declare at least one Field in schema'));
    if (this.sources.length === 0) errors.push(problem(this, 'it has no sources', 'list the request sources and feature views the transform reads in sources'));
    errors.push(...this.checkInputs(), ...this.checkOutputs());
    const bundled = this.build();
    if (!bundled.ok) errors.push(bundled.error);
    else if (typeof bundled.exported !== 'function') {
      errors.push(problem(this, `transform module ${this.transform.module} exports ${bundled.exported === undefined ? `no "${this.transform.export}"` : `"${this.transform.export}" as a ${typeof bundled.exported}, not a function`}`, `export the transform function as ${this.transform.export}`));
    }
    return errors;
  }

  /** Input names, each with where it comes from; checks that they exist and are unique. */
  private checkInputs(): string[] {
    const errors: string[] = [];
    const seen = new Map<string, string>();
    const add = (input: string, from: string) => {
      const other = seen.get(input);
      if (other !== undefined) errors.push(problem(this, `input "${input}" comes from both ${other} and ${from}`, 'read each name from one source (select other features of a view with view.select([...]))'));
      seen.set(input, from);
    };
    for (const source of this.sources) {
      if (source instanceof RequestSource) {
        if (source.schema.length === 0) errors.push(problem(this, `request source "${source.name}" has no fields`, 'declare the request fields in its schema'));
        source.schema.forEach((f) => add(f.name, `request source "${source.name}"`));
        continue;
      }
      const p = source instanceof FeatureView ? source.projection() : source;
      if (!(p.view instanceof FeatureView)) {
        errors.push(problem(this, `source "${p.view.name}" is an on-demand view`, 'read the stored feature views it reads instead'));
        continue;
      }
      if (p.alias !== undefined || Object.keys(p.joinKeyMap).length > 0) {
        errors.push(problem(this, `the projection of "${p.view.name}" has withName or withJoinKeyMap`, 'read the view itself or view.select([...]); on-demand inputs use the view\'s own names and join keys'));
      }
      const declared = new Set(p.view.schema.map((f) => f.name));
      for (const feature of p.featureNames) {
        if (!declared.has(feature)) errors.push(problem(this, `view "${p.view.name}" has no feature "${feature}"`, `select from: ${[...declared].join(', ')}`));
        else add(feature, `feature view "${p.view.name}"`);
      }
    }
    return errors;
  }

  private checkOutputs(): string[] {
    const errors: string[] = [];
    const names = this.schema.map((f) => f.name);
    const inputs = new Set(this.sources.flatMap((s) => (s instanceof RequestSource ? s.schema.map((f) => f.name) : (s instanceof FeatureView ? s.projection() : s).featureNames)));
    const keys = new Set(this.featureViews.flatMap((v) => v.joinKeys.map((k) => k.name)));
    names.forEach((name, i) => {
      errors.push(...checkRegistryName(this, 'feature', name));
      if (names.indexOf(name) !== i) errors.push(problem(this, `feature "${name}" is declared twice`, 'declare each feature once in schema'));
      if (inputs.has(name)) errors.push(problem(this, `feature "${name}" has the name of one of its inputs`, `give the output another name, e.g. "${name}_od"`));
      if (keys.has(name)) errors.push(problem(this, `feature "${name}" has the name of a join key of its sources`, 'rename the feature'));
    });
    return errors;
  }

  private sourceSpecs(): OnDemandSourceSpec[] {
    return this.sources.map((s): OnDemandSourceSpec => {
      if (s instanceof RequestSource) return { kind: 'request', source: s.name, fields: s.schema.map((f) => f.name) };
      const p = s instanceof FeatureView ? s.projection() : s;
      return { kind: 'featureView', featureView: p.view.name, features: [...p.featureNames] };
    });
  }

  toSpec(): OnDemandFeatureViewSpec {
    const bundle = this.bundle();
    return withHash<OnDemandFeatureViewSpec>({
      name: this.name,
      sources: this.sourceSpecs(),
      features: this.schema.map(fieldSpec),
      transform: {
        module: packageRelative(this.modulePath),
        export: this.transform.export,
        mode: 'row',
        bundle: bundle.path,
        bundleSha256: bundle.sha256,
      },
      ...metadataSpec(this.metadata),
    });
  }
}
