// Closed days and appointments on open days (issue 16, DOMAIN "Time and calendar"). Pure.
export * from './types';
export { HOLIDAYS_2026 } from './holidays-2026';
export { HOLIDAYS_2027 } from './holidays-2027';
export * from './open-days';
export * from './appointments';
