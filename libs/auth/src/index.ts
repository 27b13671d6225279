export * from './lib/keys';
export * from './lib/tokens';
export * from './lib/guards';
export * from './lib/revocation';
