import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FeatureStore } from '../feature-store';
import { errorBody } from '../server/http-errors';
import { Catalog } from '.';
import { ASSETS } from './assets';
import {
  describe,
  DESCRIBE_KINDS,
  findNamed,
  type Description,
  type DescribeKind,
  type EntityDescription,
  type FeatureServiceDescription,
  type FeatureViewDescription,
  type OnDemandViewDescription,
} from './describe';
import { parseTagFilter } from './filters';
import type { WatermarkReader, WatermarkSnapshot } from './freshness';
import { entityPage, featureServicePage, featureViewPage, notFoundPage } from './html/detail-pages';
import { indexPage } from './html/index-page';
import { onDemandViewPage } from './html/on-demand-page';
import { CATALOG_ROOT } from './html/links';
import { LIST_KINDS, type ListKind } from './records';
import { matchesQuery, searchFields } from './search';

export interface CatalogPluginOptions {
  readonly store: FeatureStore;
  /** Where freshness comes from. @default the watermarks kept in the store's online store */
  readonly watermarks?: WatermarkReader;
  /** The clock ages are measured against. @default () => new Date() */
  readonly now?: () => Date;
}

// Pages load only their own stylesheet and script; nothing inline, nothing from elsewhere.
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 } },
  required: ['name'],
} as const;
const indexQuery = {
  type: 'object',
  properties: { q: { type: 'string' }, kind: { type: 'string' } },
} as const;
const listSchema = {
  params: { type: 'object', properties: { kind: { type: 'string', enum: [...LIST_KINDS] } }, required: ['kind'] },
  querystring: {
    type: 'object',
    properties: {
      tag: { type: 'array', items: { type: 'string' } },
      owner: { type: 'string' },
      q: { type: 'string' },
    },
  },
} as const;
const describeSchema = {
  params: nameParams,
  querystring: { type: 'object', properties: { kind: { type: 'string', enum: [...DESCRIBE_KINDS] } } },
} as const;

/**
 * The feature catalog: `GET /catalog` (search page), a page per entity, feature view
 * and feature service, the assets, and a JSON API under /catalog/api/.
 */
export async function catalogPlugin(fastify: FastifyInstance, options: CatalogPluginOptions): Promise<void> {
  const catalog = new Catalog(options.store.manifest, {
    watermarks: options.watermarks ?? (() => options.store.watermarks()),
    now: options.now,
  });
  const sendPage = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-cache').send(body);

  fastify.get<{ Querystring: { q?: string; kind?: string } }>(CATALOG_ROOT, { schema: { querystring: indexQuery } }, async (request, reply) =>
    sendPage(reply, 200, indexPage(catalog, await catalog.snapshot(), request.query)),
  );
  fastify.get(`${CATALOG_ROOT}/`, async (_request, reply) => reply.redirect(CATALOG_ROOT));

  const detail = <D extends Description>(segment: string, kind: DescribeKind, what: string, render: (d: D, snapshot: WatermarkSnapshot) => string) =>
    fastify.get<{ Params: { name: string } }>(`${CATALOG_ROOT}/${segment}/:name`, { schema: { params: nameParams } }, async (request, reply) => {
      const [named] = findNamed(catalog.model, request.params.name, kind);
      if (!named) return sendPage(reply, 404, notFoundPage(catalog, what, request.params.name));
      const snapshot = await catalog.snapshot();
      return sendPage(reply, 200, render(describe(catalog.model, named, snapshot, catalog.now()) as D, snapshot));
    });
  detail<EntityDescription>('entities', 'entity', 'entity', (d, s) => entityPage(catalog, d, s));
  detail<FeatureViewDescription>('feature-views', 'feature-view', 'feature view', (d, s) => featureViewPage(catalog, d, s));
  detail<FeatureServiceDescription>('feature-services', 'feature-service', 'feature service', (d, s) => featureServicePage(catalog, d, s));
  detail<OnDemandViewDescription>('on-demand-views', 'on-demand-view', 'on-demand view', (d, s) => onDemandViewPage(catalog, d, s));

  fastify.get<{ Params: { file: string } }>(`${CATALOG_ROOT}/assets/:file`, async (request, reply) => {
    const asset = ASSETS.get(request.params.file);
    if (!asset) return reply.code(404).send(errorBody('UNKNOWN_ASSET', `no catalog asset "${request.params.file}"`, 'reload the catalog page'));
    return reply.header('content-type', asset.contentType).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });

  fastify.get<{ Params: { kind: ListKind }; Querystring: { tag?: string[]; owner?: string; q?: string } }>(
    `${CATALOG_ROOT}/api/:kind`,
    { schema: listSchema },
    async (request) => {
      const { tag = [], owner, q = '' } = request.query;
      return catalog.list(request.params.kind, { tags: tag.map(parseTagFilter), owner }).filter((r) => matchesQuery(searchFields(r), q));
    },
  );
  fastify.get<{ Params: { name: string }; Querystring: { kind?: DescribeKind } }>(
    `${CATALOG_ROOT}/api/describe/:name`,
    { schema: describeSchema },
    async (request, reply) => {
      const { name } = request.params;
      const found = findNamed(catalog.model, name, request.query.kind);
      if (found.length === 0) return reply.code(404).send(errorBody('UNKNOWN_NAME', `nothing named "${name}" in the catalog`, `search for it: GET ${CATALOG_ROOT}/api/features?q=${encodeURIComponent(name)}`));
      if (found.length > 1) {
        return reply.code(400).send(errorBody('REQUEST_INVALID', `"${name}" names several things: ${found.map((f) => f.kind).join(', ')}`, `add ?kind=${found[0].kind}`));
      }
      return describe(catalog.model, found[0], await catalog.snapshot(), catalog.now());
    },
  );
}
