// HQ sync service: Fastify app factory, database adapters, admin functions and the wire protocol.
export { buildHq } from './app';
export type { HqApp, HqOptions } from './app';
export { openDatabase, pgSql, pgliteSql } from './db';
export type { Sql } from './db';
export { migrate, migrationsApplied, loadMigrations } from './migrate';
export { createLogger, scrub, scrubString } from './log';
export { addStaff, createBranch, createEnrolCode, listDevices, revokeDevice, runAdminCommand, AdminError } from './admin';
export { validateIncoming, canonicalJson, sameStored } from './store';
export type { Device, Master, Verdict, Validator } from './store';
export * from '@shared/sync/protocol';
