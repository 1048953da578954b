import { Command } from 'commander';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatermarkReader } from '../../runtime/catalog';
import { registerCatalogCommands } from '../../runtime/cli/commands/list';
import { main } from '../../runtime/cli/main';
import type { Manifest } from '../../runtime/manifest/schema';

/** Writes the manifest where `--manifest` can read it. */
export function writeManifest(manifest: Manifest): string {
  const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'registry.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function capture(run: () => Promise<number>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await run();
    // A command that set process.exitCode must not fail the test process.
    process.exitCode = undefined;
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The real `featurestack` entry point. */
export function featurestack(...argv: string[]): Promise<CliRun> {
  return capture(() => main(argv));
}

/** `list` / `describe` with freshness read from `watermarks` and ages measured at `now`. */
export function catalogCli(watermarks: WatermarkReader, now: Date, ...argv: string[]): Promise<CliRun> {
  return capture(async () => {
    const program = new Command('featurestack').exitOverride();
    registerCatalogCommands(program, { watermarks: () => watermarks, now: () => now });
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  });
}
