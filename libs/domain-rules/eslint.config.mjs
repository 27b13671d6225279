import baseConfig from '../../eslint.config.mjs';
import { builtinModules } from 'node:module';

// Pure rules the browser portal imports too: no Node built-ins (the type check still sees Node's types, because
// libs/contracts mentions Buffer and crypto).
export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...builtinModules], message: 'domain-rules must run in the browser too' }] }],
    },
  },
];
