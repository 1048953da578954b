// The generated databricks bindings this library wraps (deep imports keep synth fast).
export { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
export { Job } from '@cdktf/provider-databricks/lib/job';
