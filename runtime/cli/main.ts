import { Command, CommanderError } from 'commander';
import { isFeatureStoreError } from '../errors';
import { COMMANDS } from './commands';
import { EXIT_CODES_HELP } from './exit-codes';

export { EXIT_CODES_HELP };


export function buildProgram(): Command {
  const program = new Command('featurestack')
    .description('A feature store for hybrid HDFS + ADLS lakes, defined with CDK for Terraform')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isFeatureStoreError(e)) {
      process.stderr.write(`error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
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
