import { Construct } from 'constructs';
import { Fn, ref, TerraformIterator, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { validateAtSynth } from '../core/validation';
import type { IAdlsLake } from '../lakes/lake';
import { OUTPUT_FOLDER, REGISTRY_FILE, synthesizedFileMd5, synthesizedFileReference, TRANSFORMS_FOLDER } from '../repo/output-files';
import { StorageBlob } from './l1';
import { checkAzureName } from './naming';

export interface RegistryPublisherProps {
  /** The storage account the registry is published to. */
  readonly lake: IAdlsLake;
  /** Filesystem (container) holding the registry; it must exist or be created by the lake. @default 'registry' */
  readonly filesystem?: string;
  /** Blob path inside the filesystem. @default '<stack>/registry.json' */
  readonly blobName?: string;
}

/**
 * Uploads the synthesized `registry.json` at deploy, so services load the registry
 * from `abfss://<filesystem>@<account>.dfs.core.windows.net/<blob>` (a stack output).
 * The upload is replaced whenever the file's content changes.
 */
export class RegistryPublisher extends Construct {
  /** Where the runtime reads the registry from. */
  readonly registryUrl: string;

  constructor(scope: Construct, id: string, props: RegistryPublisherProps) {
    super(scope, id);
    const filesystem = props.filesystem ?? 'registry';
    const blobName = props.blobName ?? `${TerraformStack.of(this).node.id}/${REGISTRY_FILE}`;
    const container = props.lake.addFilesystem(filesystem);
    new StorageBlob(this, 'Resource', {
      name: blobName,
      storageAccountName: props.lake.accountName,
      storageContainerName: container,
      type: 'Block',
      source: synthesizedFileReference(REGISTRY_FILE),
      contentType: 'application/json',
      contentMd5: synthesizedFileMd5(REGISTRY_FILE),
    });
    // The on-demand transforms' bundles go beside the registry (`<folder>/transforms/<view>.js`), where the
    // runtime looks for them; the set of files is read by Terraform, so views declared after this construct count.
    // path.module as an expression of its own: cdktf does not resolve `${...}` inside a function's string argument.
    const transforms = Fn.join('/', [Token.asString(ref('path.module', TerraformStack.of(this))), OUTPUT_FOLDER, TRANSFORMS_FOLDER]);
    const bundles = TerraformIterator.fromList(Fn.fileset(transforms, '*.js'));
    const folder = blobName.includes('/') ? `${blobName.slice(0, blobName.lastIndexOf('/'))}/` : '';
    new StorageBlob(this, 'Transforms', {
      forEach: bundles,
      name: `${folder}${TRANSFORMS_FOLDER}/${bundles.value}`,
      storageAccountName: props.lake.accountName,
      storageContainerName: container,
      type: 'Block',
      source: `${synthesizedFileReference(TRANSFORMS_FOLDER)}/${bundles.value}`,
      contentType: 'application/javascript',
      contentMd5: `\${filemd5("${synthesizedFileReference(TRANSFORMS_FOLDER)}/${bundles.value}")}`,
    });
    this.registryUrl = `abfss://${filesystem}@${props.lake.accountName}.dfs.core.windows.net/${blobName}`;
    new TerraformOutput(this, 'RegistryUrl', { value: this.registryUrl, description: 'Pass to the runtime as --manifest' });
    validateAtSynth(this, () => checkAzureName(this, 'ADLS filesystem', filesystem));
  }
}
