/**
 * A definition error reaches the user once, as our message with the construct path:
 * the registry refuses to build over a duplicate name (so no later error hides it), and
 * `featurestack synth` prints it without cdktf's stack traces, leaving cdktf.out as it was.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureView, FileSource, Float32 } from '../../constructs';
import { runCli } from '../plan/run-cli';
import { repoStack } from './helpers';

const APP = join(__dirname, 'fixtures', 'duplicate-view-app.ts');
const DUPLICATE = 'prod/repo/stats_copy: feature view name "stats" is already used by prod/repo/stats; give one of them another name';

describe('definition errors at synth', () => {
  it('toManifest() reports a duplicate view name before anything reads the registry', () => {
    const { repo, lake } = repoStack();
    const source = new FileSource(repo, 'src', { lake, path: 's.parquet', timestampField: 'ts' });
    new FeatureView(repo, 'a', { schema: [{ name: 'x', dtype: Float32 }], source });
    new FeatureView(repo, 'b', { name: 'a', schema: [{ name: 'y', dtype: Float32 }], source });
    expect(() => repo.toManifest()).toThrow('test/repo/b: feature view name "a" is already used by test/repo/a; give one of them another name');
  });

  describe('featurestack synth', () => {
    let project: string;
    beforeAll(() => {
      project = mkdtempSync(join(tmpdir(), 'fs-synth-'));
      writeFileSync(join(project, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `${join(__dirname, '../../node_modules/.bin/tsx')} ${APP}` }));
      mkdirSync(join(project, 'cdktf.out'));
      writeFileSync(join(project, 'cdktf.out', 'previous'), 'kept');
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    it('prints a duplicate name once, with the construct path and no stack trace, and keeps cdktf.out', async () => {
      const result = await runCli(['synth'], project);
      expect(result.code).toBe(1);
      expect(result.stderr.split(DUPLICATE)).toHaveLength(2);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).not.toContain('Validation failed');
      expect(result.stderr).toMatch(/hint: fix what the message names, then run featurestack synth again\n$/);
      expect(readdirSync(join(project, 'cdktf.out'))).toEqual(['previous']);
      expect(readdirSync(project).sort()).toEqual(['cdktf.json', 'cdktf.out']);
    }, 60_000);

    it('replaces cdktf.out with the synthesized stacks when the definitions are valid', async () => {
      writeFileSync(join(project, 'valid'), '');
      const result = await runCli(['synth'], project);
      expect(result).toEqual({ code: 0, stdout: 'Synthesized stacks local, prod into cdktf.out\n', stderr: '' });
      expect(readdirSync(join(project, 'cdktf.out', 'stacks')).sort()).toEqual(['local', 'prod']);
      const registry = JSON.parse(readFileSync(join(project, 'cdktf.out', 'stacks', 'prod', 'featurestack', 'registry.json'), 'utf8'));
      expect(registry.featureViews.map((v: { name: string }) => v.name).sort()).toEqual(['stats', 'stats_copy']);
    }, 60_000);
  });
});
