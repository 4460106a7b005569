// What the guard answers at the door, read from the policy catalog and the info topics: never
// improvised, and never a reason to turn anyone away.

import { SERVICES, type JhtCause, type Service } from '@shared/cases/schema';
import { causeDocuments } from '@shared/cases/rules';
import { REQUIRED_DOCUMENT_TITLES, reasonFor, type Text } from '@shared/policy/catalog';
import { INFO_TOPICS, type InfoTopic } from '@shared/policy/info';

export interface DocumentsAnswer {
  /** What to bring. */
  documents: Text[];
  /** Only in some cases (e.g. NPWP above the threshold). */
  conditional: Text[];
  /** The rule's source, so the person (and the guard) can check it. */
  legalBasis: Text[];
  /** Facts from the info catalog that go with it. */
  notes: Text[];
}

const KPJ: Text = { id: 'kartu atau nomor KPJ (semua KPJ yang dimiliki)', en: 'KPJ card or number (every KPJ you hold)' };

/** The info topic the door records when the guard shows a service's documents. */
export const SERVICE_TOPIC: Record<Service, InfoTopic> = {
  'jht-claim': 'jhtDocuments',
  'bpu-resignation': 'bpuStop',
  'jmo-reset': 'jmoReset',
  general: 'fees',
};

function basisOf(code: string): Text[] {
  const reason = reasonFor(code);
  return reason ? [reason.legalBasis] : [];
}

/** Documents per service (and for a JHT claim, per cause), with the legal basis. */
export function documentsFor(service: Service, cause: JhtCause): DocumentsAnswer {
  const topic = (t: InfoTopic): Text => INFO_TOPICS[t].answer;
  switch (service) {
    case 'jht-claim':
      return {
        documents: [...causeDocuments(cause).map((d) => REQUIRED_DOCUMENT_TITLES[d]), KPJ],
        conditional: [REQUIRED_DOCUMENT_TITLES.npwp],
        legalBasis: basisOf('DOCUMENT_MISSING'),
        notes: [...(cause === 'resignation' || cause === 'dismissal' ? [topic('waitingPeriod')] : []), topic('anyBranch'), topic('jhtDocuments')],
      };
    case 'bpu-resignation':
      return { documents: [REQUIRED_DOCUMENT_TITLES.ektp, KPJ], conditional: [], legalBasis: basisOf('IDENTITY_NOT_VERIFIED'), notes: [topic('bpuStop'), topic('anyBranch')] };
    case 'jmo-reset':
      return {
        documents: [REQUIRED_DOCUMENT_TITLES.ektp, KPJ],
        conditional: [],
        legalBasis: [...basisOf('IDENTITY_NOT_VERIFIED'), ...basisOf('OUTSIDE_SERVICE_HOURS')],
        notes: [topic('jmoReset'), topic('anyBranch')],
      };
    case 'general':
      return { documents: [REQUIRED_DOCUMENT_TITLES.ektp], conditional: [], legalBasis: basisOf('OUTSIDE_SERVICE_HOURS'), notes: [topic('fees')] };
  }
}

export const INFO_SERVICES: readonly Service[] = SERVICES;

export const pick = (text: Text, lang: string): string => (lang.startsWith('en') ? text.en : text.id);
