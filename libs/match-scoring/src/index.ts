export * from './lib/factors';
export * from './lib/score';
export * from './lib/compiled';
