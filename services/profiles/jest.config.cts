module.exports = {
  displayName: 'profiles',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/services/profiles',
  // Integration suites share one MariaDB test database and recreate it: run them one at a time.
  maxWorkers: 1,
  testTimeout: 60_000,
};
