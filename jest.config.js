// Two layers: `unit` (pure, beside the code in src/) and `integration` (test/, against a real
// Neo4j 5.26 that test/global-setup.ts starts on its own port and data folder).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/src/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/uri-bolt.ts'],
    },
    {
      // Issue 15: the API's suites again through a neo4j:// URI (the routing driver).
      displayName: 'routing',
      testEnvironment: 'node',
      transform,
      testMatch: [
        '<rootDir>/test/api.test.ts',
        '<rootDir>/test/queries.test.ts',
        '<rootDir>/test/cache.test.ts',
        '<rootDir>/test/revisions.test.ts',
      ],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/uri-routing.ts'],
    },
  ],
};
