import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IStackSynthesizer, ISynthesisSession, TerraformStack } from 'cdktf';
import { canonicalJson } from '@featurestack/runtime/manifest';
import type { HdfsPlan, Manifest } from '@featurestack/runtime/manifest';
import { parseHdfsPlan, parseManifest } from '@featurestack/runtime/manifest';
import { HDFS_PLAN_FILE, OUTPUT_FOLDER, REGISTRY_FILE, TRANSFORMS_FOLDER } from './output-files';

/** What the synthesizer asks the repository for, once the tree is complete. */
export interface RegistrySource {
  toManifest(): Manifest;
  toHdfsPlan(): HdfsPlan | undefined;
  /** On-demand transforms, bundled, to write beside the registry (`transforms/<view>.js`). */
  transformBundles?(): readonly { readonly path: string; readonly code: string }[];
}

/**
 * Wraps the stack's synthesizer: after the Terraform JSON (and every validation)
 * it writes `featurestack/registry.json` and, with an HDFS lake, `hdfs-plan.json`
 * next to it. Both are checked against the runtime's schema first, so a file the
 * runtime would reject is never written.
 */
export class RegistrySynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: TerraformStack,
    private readonly inner: IStackSynthesizer,
    private readonly registry: RegistrySource,
  ) {}

  synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    const folder = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory, OUTPUT_FOLDER);
    const manifest = parseManifest(this.registry.toManifest(), `${this.stack.node.path} registry`);
    const plan = this.registry.toHdfsPlan();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, REGISTRY_FILE), canonicalJson(manifest));
    rmSync(join(folder, TRANSFORMS_FOLDER), { recursive: true, force: true });
    for (const bundle of this.registry.transformBundles?.() ?? []) {
      mkdirSync(join(folder, TRANSFORMS_FOLDER), { recursive: true });
      writeFileSync(join(folder, bundle.path), bundle.code);
    }
    const planFile = join(folder, HDFS_PLAN_FILE);
    if (plan) writeFileSync(planFile, canonicalJson(parseHdfsPlan(plan, `${this.stack.node.path} HDFS plan`)));
    else rmSync(planFile, { force: true });
  }
}
