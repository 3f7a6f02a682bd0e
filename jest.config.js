/** Jest projects: pure unit tests once; integration tests twice, on PostgreSQL and on PGlite; browser e2e. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const ignore = ['/node_modules/', '/miniapp/', '/.data/'];
const common = { transform, testEnvironment: 'node', testPathIgnorePatterns: ignore, rootDir: __dirname };

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [...ignore, '\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'postgres',
      testMatch: ['**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/use-postgres.ts'],
    },
    {
      ...common,
      displayName: 'pglite',
      testMatch: ['**/*.int.test.ts'],
      setupFiles: ['<rootDir>/test/support/use-pglite.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
      setupFiles: ['<rootDir>/test/support/use-pglite.ts'],
    },
  ],
};
