#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so the package works straight from a checkout.
require('tsx/cjs');
require('../runtime/cli/main.ts');
