// The service core: a separate entry point so that services without a database (the gateway) do not pull in
// MikroORM, Kafka and their drivers through the main entry.
export * from './lib/service-core';
