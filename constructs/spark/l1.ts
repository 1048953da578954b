// The generated databricks bindings these constructs wrap (deep imports keep synth fast).
export { Job, type JobJobCluster } from '@cdktf/provider-databricks/lib/job';
export { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
export { SecretScope } from '@cdktf/provider-databricks/lib/secret-scope';
