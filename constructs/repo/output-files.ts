/** Folder, inside the stack's output folder, holding what FeatureRepo writes. */
export const OUTPUT_FOLDER = 'featurestack';
export const REGISTRY_FILE = 'registry.json';
export const HDFS_PLAN_FILE = 'hdfs-plan.json';
/** On-demand transforms, bundled: `transforms/<view>.js`. */
export const TRANSFORMS_FOLDER = 'transforms';

/**
 * How a resource names a file FeatureRepo writes: Terraform runs in the stack's
 * output folder, and `path.module` is that folder.
 */
export function synthesizedFileReference(file: string): string {
  return `\${path.module}/${OUTPUT_FOLDER}/${file}`;
}

/** A Terraform expression for the file's MD5, so a resource is replaced when the file changes. */
export function synthesizedFileMd5(file: string): string {
  return `\${filemd5("${synthesizedFileReference(file)}")}`;
}
