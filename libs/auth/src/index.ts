export * from './lib/tokens';
export * from './lib/guards';
