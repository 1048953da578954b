/** How the feature server runs; every field has a default (see DEFAULT_SERVER_OPTIONS). */
export interface ServerOptions {
  /** Largest accepted request body in bytes. @default 4 MiB */
  readonly bodyLimit: number;
  /** Most entity rows in one /get-online-features or /push request. @default 10000 */
  readonly maxEntities: number;
  /**
   * Bearer tokens accepted on every route but /health. Empty: no authentication.
   * @default FEATURESTACK_SERVER_TOKENS (comma-separated), else none
   */
  readonly tokens: readonly string[];
  /** Log one line per request (fastify's request logging). @default false */
  readonly logRequests: boolean;
  /** Least severe log level written (pino levels; `silent` for none). @default 'info' */
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Coalesce concurrent online reads into shared round trips. @default true */
  readonly batchOnlineReads: boolean;
  /** Most entity rows one coalesced online read may carry. @default 2000 */
  readonly maxBatchEntities: number;
  /**
   * Coalesced reads of one feature selection under way at once; requests arriving
   * while that many are in flight wait and share the next read. @default 2
   */
  readonly maxReadsInFlight: number;
  /** How long /health waits for the online store before answering 503. @default 500 ms */
  readonly healthTimeoutMs: number;
  /**
   * The online route's fast paths: reused feature lists in the body parser, coalesced
   * reads, hand-written response JSON. Off, every request is parsed whole, read alone
   * and answered with `JSON.stringify` of Feast's response, byte for byte the same
   * answer (a test compares them). @default true
   */
  readonly fastPaths: boolean;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  bodyLimit: 4 * 1024 * 1024,
  maxEntities: 10_000,
  tokens: [],
  logRequests: false,
  logLevel: 'info',
  batchOnlineReads: true,
  maxBatchEntities: 2000,
  maxReadsInFlight: 2,
  healthTimeoutMs: 500,
  fastPaths: true,
};

/** Tokens from FEATURESTACK_SERVER_TOKENS: comma-separated, blanks ignored. */
export function tokensFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.FEATURESTACK_SERVER_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function serverOptions(partial: Partial<ServerOptions> = {}, env: NodeJS.ProcessEnv = process.env): ServerOptions {
  return { ...DEFAULT_SERVER_OPTIONS, tokens: tokensFromEnv(env), ...partial };
}
