export * from './lib/test-env';
export * from './lib/ts-process';
