import { App } from 'cdktf';

/** cdktf's wrapping of failed validations: a heading, one line per problem, advice on skipping them. */
const VALIDATION_HEADING = 'Validation failed with the following errors:';

/**
 * The problems in a synth failure, one per line: cdktf's heading, stack tags
 * (`[local/repo]`) and advice stripped, and a problem found in several stacks named once.
 */
export function synthProblems(message: string): string[] {
  const start = message.indexOf(VALIDATION_HEADING);
  const body = start < 0 ? message : message.slice(start + VALIDATION_HEADING.length).split(/\n\s*\n/)[0];
  const lines = body
    .split('\n')
    .map((line) => line.trim().replace(/^\[[^\]]*\]\s*/, ''))
    .filter((line) => line !== '');
  return [...new Set(lines)];
}

/**
 * Declares the stacks on a new App and synthesizes them. A definition error (a plain
 * Error, as constructs throw at declaration and validations report at synth) is printed
 * once, as `synth failed:` and its problems, without stack traces; the exit code is 1.
 * Anything else (a TypeError in the app itself) keeps its stack.
 */
export function synthesizeApp(declare: (app: App) => void): void {
  try {
    const app = new App();
    declare(app);
    app.synth();
  } catch (e) {
    const definitionError = e instanceof Error && e.constructor === Error;
    const text = definitionError ? `synth failed:\n${synthProblems(e.message).map((p) => `  ${p}\n`).join('')}` : `synth failed: ${e instanceof Error ? e.stack : String(e)}\n`;
    process.stderr.write(text);
    process.exitCode = 1;
  }
}
