#!/usr/bin/env node
// The `featurestack` command (bin/featurestack.js, which npm links, loads this compiled file).
import { main } from './main';

// `featurestack list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
