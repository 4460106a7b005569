export * from './config';
export * from './receipt';
export * from './rules';
export * from './schema';
export * from './records';
