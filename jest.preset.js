const { join } = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Once per project run: the tests' MariaDB, Redis and Kafka (testcontainers where Docker answers, else
  // infra/local), logged, and handed to the workers through the environment (libs/testing).
  globalSetup: join(__dirname, 'libs/testing/src/jest-global-setup.ts'),
};
