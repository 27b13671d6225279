module.exports = {
  displayName: 'analytics',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/jest.setup.cts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/services/analytics',
  // The integration suite owns the relationship_analytics_test database (drops and recreates it): one file at a time.
  maxWorkers: 1,
  testTimeout: 60_000,
};
