import { Command, CommanderError } from 'commander';
import { isFeatureStoreError } from '../errors';
import { COMMANDS } from './commands';
import { EXIT_CODES_HELP } from './exit-codes';

export { EXIT_CODES_HELP };

/** The package version, read from package.json (no module is loaded for it). */
export function cliVersion(): string {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  for (const dir of [join(__dirname, '..', '..'), join(__dirname, '..')]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.version) return pkg.version;
    } catch {
      // try the next folder
    }
  }
  return '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('featurestack')
    .description('A feature store for hybrid HDFS + ADLS lakes, defined with CDK for Terraform')
    .version(cliVersion(), '-V, --version', 'print the featurestack version')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** API-style hints (`featureService: "<name>"`) said the way the CLI takes them (`--service <name>`). */
export function cliHint(hint: string): string {
  return hint
    .replace(/pass features as \["view:feature", \.\.\.\] or featureService: "<name>"/g, 'pass --features view:feature,... or --service <name>')
    .replace(/featureService: "([^"]*)"/g, '--service $1')
    .replace(/fullFeatureNames: true/g, '--full-feature-names')
    .replace(/features: \["([^"\]]*)"(?:, \.\.\.)?\]/g, '--features $1')
    .replace(/pass entities: <Arrow table>/g, 'pass --entities <file.csv|file.parquet>');
}

function serviceMessage(cause: unknown): string {
  const c = cause as { message?: unknown; code?: unknown; statusCode?: unknown } | undefined;
  const parts = [c?.statusCode, c?.code, typeof c?.message === 'string' ? c.message.split('\n')[0] : undefined].filter((p) => p !== undefined && p !== '');
  return parts.join(' ');
}

/** The `error: ... hint: ...` lines the CLI prints for a FeatureStoreError. */
export function formatError(e: { message: string; hint?: string; cause?: unknown }): string {
  let hint = e.hint ? cliHint(e.hint) : '';
  if (/see the service message above/.test(hint)) {
    const service = serviceMessage(e.cause);
    hint = service && !e.message.includes(service) ? `the service said: ${service}` : 'the service gave no further detail; check the lake credential, the filesystem and the path';
  }
  return `error: ${e.message}\n${hint ? `hint: ${hint}\n` : ''}`;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isFeatureStoreError(e)) {
      process.stderr.write(formatError(e));
    } else {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
