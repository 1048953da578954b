/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Tests run the sources: the construct library's imports of the runtime package resolve to them too.
  moduleNameMapper: { '^@featurestack/runtime/(manifest|spark)$': '<rootDir>/runtime/$1/index.ts' },
  // Installs redis-server and chromium when the machine lacks them (test/support/provision.ts).
  globalSetup: '<rootDir>/test/support/provision.ts',
  // Puts back the native methods the `kerberos` package wraps each time a test file loads it.
  setupFiles: ['<rootDir>/test/support/kerberos-native-methods.js'],
  testTimeout: 60000,
  // Test servers (redis-server, Azurite, WebHDFS, DFS) are started per file on free ports.
  maxWorkers: 2,
};
