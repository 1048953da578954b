/**
 * Jest's node environment, but with the process's own environment instead of a copy.
 * For tests of code that sets variables a native library reads (libkrb5 reads KRB5_CONFIG,
 * KRB5CCNAME and KRB5_CLIENT_KTNAME from the real environment): name it in a test file's
 * docblock with `@jest-environment ./test/support/process-env-environment.js`.
 */
const { TestEnvironment } = require('jest-environment-node');

class ProcessEnvEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.process.env = process.env;
  }
}

module.exports = ProcessEnvEnvironment;
