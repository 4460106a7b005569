import type { TestProject } from 'vitest/node';
import { startPgCluster } from './pg-cluster';

// One private PostgreSQL cluster for all HQ test files (see pg-cluster.ts), stopped and removed
// afterwards. Tests get the admin URL via inject('hqPostgresUrl') and create their own database.

declare module 'vitest' {
  export interface ProvidedContext {
    hqPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPgCluster();
  project.provide('hqPostgresUrl', cluster.url);
  return () => cluster.stop();
}
