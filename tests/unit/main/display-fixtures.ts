import type { DisplaySnapshot } from '@shared/ipc/contract';

/** A valid waiting-room snapshot: numbers, counters and services only (no personal data). */
export const displaySnapshot = {
  called: [{ number: 'A1-017', counter: '3', service: 'jht-claim', at: '2026-11-25T02:15:00.000Z' }],
  nextUp: [{ service: 'jht-claim', numbers: ['A1-018', 'A1-019'] }],
  averageWaitMinutes: 12,
  pledge: 'Kami melayani tanpa biaya.',
  publishedAt: '2026-11-25T02:15:01.000Z',
} satisfies DisplaySnapshot;
