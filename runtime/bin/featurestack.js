#!/usr/bin/env node
// A fixed file for npm to link at install, before the build writes dist/ (the CLI itself is dist/cli/bin.js).
require('../dist/cli/bin.js');
