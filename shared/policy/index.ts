export * from './catalog';
export * from './facts';
export * from './hours';
export * from './info';
export * from './non-reasons';
export * from './pending';
