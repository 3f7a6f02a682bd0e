export * from './errors';
export * from './envelopes';
export * from './wire';
export * from './api/accounts';
export * from './api/wechat';
export * from './api/regions';
export * from './api/reports';
