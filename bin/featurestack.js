#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so the package works straight from a checkout.
require('tsx/cjs');
// `featurestack list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = require('../runtime/cli/main.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
