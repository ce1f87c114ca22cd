// One jest run for the whole workspace. swc keeps decorator metadata (Nest DI needs it) and turns
// the ESM-only Nest 12 packages into CommonJS for jest's module system.
const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'));
delete swc.$schema;
swc.sourceMaps = 'inline';
// The web portal's components (.tsx): the same, with JSX (React's automatic runtime).
const swcTsx = JSON.parse(JSON.stringify(swc));
swcTsx.jsc.parser = { syntax: 'typescript', tsx: true };
swcTsx.jsc.transform = { react: { runtime: 'automatic' } };

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Portal component tests (.spec.tsx) render with react-dom/server on node: no DOM emulation needed.
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  transform: { '^.+\\.tsx$': ['@swc/jest', swcTsx], '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose)/)'],
  moduleNameMapper: {
    '^@prescriptchain/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@prescriptchain/messaging$': '<rootDir>/libs/messaging/src/index.ts',
  },
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  testTimeout: 30000,
};
