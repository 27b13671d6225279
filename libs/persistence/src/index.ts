export * from './lib/orm';
