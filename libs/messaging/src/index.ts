export * from './lib/entities';
export * from './lib/kafka';
export * from './lib/outbox';
export * from './lib/consumer';
export * from './lib/messaging.module';
