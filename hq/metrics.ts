import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sql } from './db';

// Prometheus metrics of one HQ process (issue 20 pt 5), served at GET /metrics (prom-client). Each
// app has its own registry (tests run several apps in one process). No personal data: labels are
// routes (patterns, never the URL), methods, status codes, collections and standby names.

export interface MetricsSources {
  db: Sql;
  /** Event streams open in this process. */
  streams: () => number;
}

export interface HqMetrics {
  registry: Registry;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Push calls answered, by collection and outcome (ok, conflict, refused, deferred, busy, error). */
  pushes: Counter<'collection' | 'outcome'>;
  /** Documents HQ refused and quarantined. */
  quarantined: Counter<'collection'>;
}

export function createMetrics(src: MetricsSources): HqMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hq_' });
  const requestSeconds = new Histogram({
    name: 'hq_http_request_duration_seconds',
    help: 'HTTP request latency by route (the route pattern), method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pushes = new Counter({
    name: 'hq_pushes_total',
    help: 'Push calls answered, by collection and outcome',
    labelNames: ['collection', 'outcome'] as const,
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'hq_quarantined_records_total',
    help: 'Documents refused and kept in quarantine, by collection',
    labelNames: ['collection'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hq_open_streams',
    help: 'Device event streams open in this process',
    registers: [registry],
    collect() {
      this.set(src.streams());
    },
  });
  new Gauge({
    name: 'hq_db_pool_connections',
    help: "The database pool's connections: total, idle, and requests waiting for one (max: the bound)",
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const use = src.db.poolUse?.();
      if (!use) return;
      for (const [state, n] of Object.entries(use)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'hq_replication_lag_seconds',
    help: 'Replay lag of each streaming standby of the primary (no series without a standby)',
    labelNames: ['standby', 'sync_state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of await standbys(src.db)) if (s.lag !== null) this.set({ standby: s.name, sync_state: s.syncState }, s.lag);
    },
  });
  return { registry, requestSeconds, pushes, quarantined };
}

export interface Standby {
  name: string;
  syncState: string;
  /** Seconds the standby's replay is behind, null when it is not known yet. */
  lag: number | null;
}

/** The primary's streaming standbys (pg_stat_replication); none on PGlite, or when the query fails. */
export async function standbys(db: Sql): Promise<Standby[]> {
  if (db.kind !== 'pg') return [];
  try {
    const { rows } = await db.query<{ name: string; sync_state: string; lag: number | null }>(
      `SELECT application_name AS name, sync_state, extract(epoch FROM replay_lag)::float8 AS lag FROM pg_stat_replication ORDER BY application_name`,
    );
    // replay_lag is NULL while the standby is idle and caught up: no lag then.
    return rows.map((r) => ({ name: r.name, syncState: r.sync_state, lag: r.lag === null ? 0 : Number(r.lag) }));
  } catch {
    return [];
  }
}
