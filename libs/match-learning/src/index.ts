export * from './lib/blend';
export * from './lib/features';
export * from './lib/metrics';
export * from './lib/model';
export * from './lib/train';
