import type { Command } from 'commander';
import { notYet } from '../not-yet';

export function register(program: Command): void {
  program.command('catalog').description('(not yet)').allowUnknownOption().action(notYet('catalog'));
}
