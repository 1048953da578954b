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
export const ASSETS: ReadonlyMap<string, Asset> = new Map([STYLESHEET, SCRIPT].map((a) => [a.file, a]));
