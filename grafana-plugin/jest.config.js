// Jest in the layout of @grafana/create-plugin (its .config/jest.config.js), written for this
// plugin: jsdom, swc, component and data tests beside the code in src/. The browser tests in
// test/*.test.ts run on node's test runner instead.
export default {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
  // The clock-independence check of `npm test` moves Date through the test kit's shifter.
  setupFiles: process.env.MLMON_CLOCK_SHIFT_MS ? ['<rootDir>/../testkit/shifted-clock.cjs'] : [],
  setupFilesAfterEnv: ['<rootDir>/.config/jest-setup.ts'],
  transform: {
    '^.+\\.(m?js|jsx|tsx?)$': [
      '@swc/jest',
      {
        sourceMaps: 'inline',
        jsc: {
          parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
          transform: { react: { runtime: 'automatic' } },
        },
      },
    ],
  },
  // ESM-only dependencies of @grafana/ui that must be transformed (@react-hookz and @ver0: 13.x).
  transformIgnorePatterns: [
    'node_modules/(?!(ol|d3|d3-[a-z-]+|delaunator|internmap|robust-predicates|marked|react-colorful|uuid|@grafana/schema|rxjs|ua-parser-js|@bsull|@wojtekmaj|react-calendar|get-user-locale|memoize|mimic-function|@floating-ui|lodash-es|@react-hookz|@ver0)/)',
  ],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': '<rootDir>/.config/jest-style-mock.cjs',
    '^amd-module$': '<rootDir>/.config/jest-amd-module.cjs',
  },
  testTimeout: 20000,
};
