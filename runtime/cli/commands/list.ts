import { Argument, Command, Option } from 'commander';
import { Catalog, type CatalogOptions } from '../../catalog';
import { DESCRIBE_KINDS, type DescribeKind } from '../../catalog/describe';
import { parseTagFilter } from '../../catalog/filters';
import { LIST_KINDS, type ListKind } from '../../catalog/records';
import { renderDescription } from '../../catalog/text/describe-text';
import { renderList } from '../../catalog/text/list-text';
import type { FeatureStore } from '../../feature-store';
// Read at help time only: main.ts imports this file, so the constant is not set while it loads.
import { EXIT_CODES_HELP } from '../exit-codes';
import { openStore, withManifestOptions, type ManifestOptions } from '../manifest-option';

/** What tests replace: where freshness comes from and what time it is. */
export interface CatalogCommandDeps {
  readonly watermarks?: (store: FeatureStore) => CatalogOptions['watermarks'];
  readonly now?: () => Date;
}

/** Opens the store for `opts` and a catalog over it; `use` runs before the store closes. */
export async function withCatalog<T>(
  opts: ManifestOptions,
  deps: CatalogCommandDeps,
  use: (catalog: Catalog, store: FeatureStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(opts);
  try {
    const watermarks = deps.watermarks ? deps.watermarks(store) : () => store.watermarks();
    return await use(new Catalog(store.manifest, { watermarks, now: deps.now }), store);
  } finally {
    await store.close();
  }
}

const LIST_EXAMPLES = `
Examples:
  featurestack list feature-views
  featurestack list features --tag team=mobility          objects tagged team=mobility
  featurestack list features --tag pii                     objects with a "pii" tag, any value
  featurestack list feature-services --owner ana@city.example --json`;

const DESCRIBE_EXAMPLES = `
Examples:
  featurestack describe taxi_trips_hourly                  a feature view, with its freshness
  featurestack describe taxi_trips_hourly:trip_count       one feature
  featurestack describe taxi_weather --json                a feature service, for machines
  featurestack describe driver --kind entity               when a view and an entity share a name`;

interface ListOptions extends ManifestOptions {
  tag?: string[];
  owner?: string;
  json?: boolean;
}

interface DescribeOptions extends ManifestOptions {
  kind?: DescribeKind;
  json?: boolean;
}

export function register(program: Command): void {
  registerCatalogCommands(program, {});
}

/** `list` and `describe`: the catalog from the command line. */
export function registerCatalogCommands(program: Command, deps: CatalogCommandDeps): void {
  withManifestOptions(
    program
      .command('list')
      .description('List entities, feature views, on-demand views, feature services or features, with owner, tags and description')
      .addArgument(new Argument('<kind>', 'what to list').choices(LIST_KINDS)),
  )
    .addOption(new Option('--tag <key=value>', 'only objects with this tag; repeat to require several; a bare key matches any value').argParser(collect))
    .option('--owner <owner>', 'only objects owned by <owner> (case-insensitive)')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText('after', () => `${LIST_EXAMPLES}\n${EXIT_CODES_HELP}`)
    .action((kind: ListKind, opts: ListOptions) =>
      withCatalog(opts, deps, async (catalog) => {
        const records = catalog.list(kind, { tags: (opts.tag ?? []).map(parseTagFilter), owner: opts.owner });
        process.stdout.write(opts.json ? JSON.stringify(records, null, 2) + '\n' : escapeControls(renderList(kind, records)));
      }),
    );

  withManifestOptions(
    program
      .command('describe')
      .description('Show an entity, feature view, feature service or feature (view:feature): definition, owner, source, lake, users and freshness')
      .argument('<name>', 'a name, or view:feature for one feature'),
  )
    .addOption(new Option('--kind <kind>', 'which kind of object <name> is, when several share it').choices(DESCRIBE_KINDS))
    .option('--json', 'print JSON instead of text')
    .addHelpText('after', () => `${DESCRIBE_EXAMPLES}\n${EXIT_CODES_HELP}`)
    .action((name: string, opts: DescribeOptions) =>
      withCatalog(opts, deps, async (catalog) => {
        const description = await catalog.describe(name, opts.kind);
        process.stdout.write(opts.json ? JSON.stringify(description, null, 2) + '\n' : escapeControls(renderDescription(description)));
      }),
    );
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Human output never carries terminal escape codes from definitions: control characters (except newline) are shown escaped. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
