import { createHash } from 'node:crypto';
import { CATALOG_CSS } from './catalog-css';
import { CATALOG_JS } from './catalog-js';

export interface Asset {
  /** Path under /catalog/assets/, with a content hash so browsers may cache it for good. */
  readonly file: string;
  readonly contentType: string;
  readonly body: string;
}

function asset(base: string, ext: string, contentType: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  return { file: `${base}.${hash}.${ext}`, contentType, body };
}

export const STYLESHEET = asset('catalog', 'css', 'text/css; charset=utf-8', CATALOG_CSS);
export const SCRIPT = asset('catalog', 'js', 'text/javascript; charset=utf-8', CATALOG_JS);
/** So browsers do not ask the server for /favicon.ico. */
export const ICON = asset(
  'icon',
  'svg',
  'image/svg+xml',
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b57b0"/><path d="M4 4h8M4 8h6M4 12h4" stroke="#fff" stroke-width="2"/></svg>',
);
export const ASSETS: ReadonlyMap<string, Asset> = new Map([STYLESHEET, SCRIPT, ICON].map((a) => [a.file, a]));
