export * from './lib/field-rule';
export * from './lib/contact';
export * from './lib/national-id';
export * from './lib/risk-questionnaire';
export * from './lib/customer-portrait';
export * from './lib/manager';
