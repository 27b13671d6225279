export * from './lib/factors';
export * from './lib/score';
