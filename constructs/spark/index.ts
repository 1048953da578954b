export * from './databricks-snapshot-jobs';
export { secretRef, type RequiredSecret } from './storage-access';
