export * from './lib/columns';
export * from './lib/decode';
export * from './lib/problems';
export * from './lib/read';
export * from './lib/write';
export * from './lib/rule-columns';
