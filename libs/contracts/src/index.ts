export * from './envelope';
export * from './topology';
export * from './rpc';
export * from './errors';
export * from './registry';
export * from './messages';
export * from './rpc/accounts.rpc';
export * from './rpc/orders-catalogue.rpc';
