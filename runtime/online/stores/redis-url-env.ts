/** The variable that overrides a manifest's Redis endpoint (kept apart so the public types need no ioredis). */
export const REDIS_URL_ENV = 'FEATURESTACK_REDIS_URL';
