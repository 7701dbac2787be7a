/**
 * Three projects: `unit` (pure rules beside the code, and the web pages' pure rules in test/web;
 * no Nest, no database, no browser), `e2e` (the real programs against the real PostgreSQL and
 * Redis, one fresh database per test file) and `faults` (the built programs as child processes on
 * servers the tests own and break; run in band with `npm run test:faults`).
 */
const { compilerOptions } = require('./tsconfig.json');

// swc rewrites the `@app/*` aliases itself, so the global setup (which Jest does not map) works too.
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      baseUrl: __dirname,
      paths: compilerOptions.paths,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  },
];

const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: [
    // @fastify/static (web assets, Swagger UI) ships an ESM-only content-disposition of its own.
    '/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@tokenizer|@borewit|@standard-schema|@fastify/static/node_modules/content-disposition|content-disposition)/)',
  ],
  moduleNameMapper: {
    '^@app/(platform|identity|bed-inventory|time-bank|enrolment|care-centre|notifications|testing|schema|reports)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  // A global option: Jest ignores testTimeout inside a project. It guards against a hang, not a
  // budget: `npm run test:e2e` runs two files at once, which share two cores with PostgreSQL and
  // Chromium, and the slowest browser test then takes about 40 s.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/deploy/**/*.spec.ts', '<rootDir>/test/web/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      slowTestThreshold: 20,
    },
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/faults/support/global-teardown.ts',
      slowTestThreshold: 60,
    },
  ],
};
