export * from './lib/config';
export * from './lib/errors';
export * from './lib/validation';
export * from './lib/request-meta';
export * from './lib/bootstrap';
export * from './lib/masking';
export * from './lib/run-service';
export * from './lib/pagination';
