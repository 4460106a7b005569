export { id } from './id';
export { en } from './en';
export type { Dictionary } from './types';
