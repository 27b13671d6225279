export * from './lib/orm';
export * from './lib/transaction';
