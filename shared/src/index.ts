export * from './errors';
export * from './envelopes';
export * from './wire';
export * from './api/accounts';
