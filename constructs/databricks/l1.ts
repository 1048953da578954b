// The generated databricks bindings this library wraps (deep imports keep synth fast).
export { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
export { Job, type JobJobCluster } from '@cdktf/provider-databricks/lib/job';
export { WorkspaceFile } from '@cdktf/provider-databricks/lib/workspace-file';
export { SecretScope } from '@cdktf/provider-databricks/lib/secret-scope';
