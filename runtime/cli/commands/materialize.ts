import type { Command } from 'commander';
import { notYet } from '../not-yet';

export function register(program: Command): void {
  program.command('materialize').description('(not yet)').allowUnknownOption().action(notYet('materialize'));
}
