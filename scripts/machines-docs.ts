// Writes the readable rules to docs/machines/: one Mermaid diagram per machine (states, events,
// and the named guards that must hold) and the policy catalog as a table, so a branch head or an
// auditor can check them without reading code. Run: npm run machines:docs
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyStateMachine } from 'xstate';
import { CASE_WORKER_ROLES, REVIEW_ROLES, TRIAGE_ROLES } from '@shared/cases/rules';
import { POLICY_CATALOG, REFUSING_ROLES } from '@shared/policy/catalog';
import { NON_REASONS } from '@shared/policy/non-reasons';
import { DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS, PENDING_CATALOG } from '@shared/policy/pending';
import {
  bpuResignationMachine,
  jhtClaimMachine,
  jmoResetMachine,
  refusalReviewMachine,
  ticketMachine,
  triageMachine,
} from '@state-machines/index';

const outDir = path.resolve(import.meta.dirname, '..', 'docs', 'machines');

const MACHINES: Array<{ machine: AnyStateMachine; title: string; about: string }> = [
  { machine: triageMachine, title: 'Triage (security at the door)', about: 'Ticket (NIK-bound), guaranteed appointment when today’s capacity is reached, or an answer from the info catalog. No refusal and no redirect exist.' },
  { machine: ticketMachine, title: 'Ticket', about: 'Waiting → called → serving → done, or transferred to another service; a no-show only after N calls spaced by the configured gap (config: 2 calls, 3 minutes), and back to the queue on the same ticket if the person returns that day. Every transition is time-stamped.' },
  { machine: jhtClaimMachine, title: 'JHT claim', about: 'Identity → cause → eligibility → every KPJ of the NIK → documents → submitted → each KPJ resolved → receipt.' },
  { machine: bpuResignationMachine, title: 'BPU resignation', about: 'Identity → membership → stop date (the day of the request) → billing stopped per channel → optional JHT claim → receipt.' },
  { machine: jmoResetMachine, title: 'JMO reset', about: 'Identity in person → new email and phone → reset requested → confirmed → receipt. The only time rule is the published service hours.' },
  { machine: refusalReviewMachine, title: 'Refusal review (branch head)', about: 'Pending → upheld, or overturned with an Ombudsman category and a follow-up.' },
];

type GuardLike = string | { type?: string; name?: string; guards?: GuardLike[] } | undefined;

function guardText(g: GuardLike): string {
  if (g === undefined) return '';
  if (typeof g === 'string') return g;
  if (typeof g === 'function' || typeof g === 'object') {
    const fn = g;
    if (fn.guards && fn.name === 'not') return `not ${guardText(fn.guards[0])}`;
    if (fn.guards) return `(${fn.guards.map(guardText).join(fn.name === 'or' ? ' or ' : ' and ')})`;
    return fn.type ?? fn.name ?? 'inline';
  }
  return '';
}

interface Node {
  id: string;
  key: string;
  type: string;
  states: Record<string, Node>;
  initial?: { target: Node[] };
  transitions: Map<string, Array<{ target?: Node[]; guard?: GuardLike; actions: unknown[] }>>;
  always?: Array<{ target?: Node[]; guard?: GuardLike }>;
}

function mermaid(machine: AnyStateMachine): string {
  const root = machine.root as unknown as Node;
  const mid = (n: Node) => (n === root ? 'AnyOpenStep' : n.id.slice(root.id.length + 1).replace(/\./g, '_'));
  const lines: string[] = ['stateDiagram-v2', '  direction LR'];
  const edges: string[] = [];
  const clean = (s: string) => s.replace(/[:;]/g, ' ');
  const addEdges = (n: Node) => {
    for (const [event, ts] of n.transitions) {
      for (const t of ts) {
        const label = clean(`${event}${t.guard ? ` [${guardText(t.guard)}]` : ''}`);
        const targets = t.target?.length ? t.target : [n];
        for (const target of targets) edges.push(`  ${mid(n)} --> ${mid(target)} : ${label}${t.target ? '' : ' (records)'}`);
      }
    }
    for (const t of n.always ?? []) {
      for (const target of t.target ?? []) edges.push(`  ${mid(n)} --> ${mid(target)} : ${clean(`always [${guardText(t.guard)}]`)}`);
    }
  };
  const render = (n: Node, indent: string) => {
    const children = Object.values(n.states);
    if (n.initial?.target[0]) lines.push(`${indent}[*] --> ${mid(n.initial.target[0])}`);
    for (const c of children) {
      if (Object.keys(c.states).length) {
        lines.push(`${indent}state ${mid(c)} {`);
        render(c, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${mid(c)}`);
        if (c.type === 'final') lines.push(`${indent}${mid(c)} --> [*]`);
      }
      addEdges(c);
    }
  };
  render(root, '  ');
  if (root.transitions.size) {
    lines.push('  state "any open step" as AnyOpenStep');
    lines.push('  note right of AnyOpenStep : transitions available in every step that is not final');
    addEdges(root);
  }
  return [...lines, ...edges].join('\n');
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function catalogTable(): string {
  const rows = POLICY_CATALOG.map(
    (r) =>
      `| \`${r.code}\` | ${esc(r.title.id)}<br>*${esc(r.title.en)}* | ${r.flows.join(', ')} | \`${r.guard}\`: ${esc(r.holdsWhen.id)} | ${esc(r.legalBasis.id)} | ${esc(r.nextStep.id)} | ${r.appointment === 'none' ? '—' : r.appointment} |`,
  );
  const non = NON_REASONS.map(
    (n) =>
      `| \`${n.id}\` | ${esc(n.said.id)}<br>*${esc(n.said.en)}* | ${n.attempt.type === 'refusal.requested' ? `refusal \`${n.attempt.code}\`${n.attempt.documents ? ` (${n.attempt.documents.join(', ')})` : ''}` : `transfer \`${n.attempt.reason}\``}${n.onlyWhen ? ` — when ${n.onlyWhen}` : ''}${n.localTime ? ` at ${n.localTime}` : ''} |`,
  );
  return [
    '# Katalog alasan penolakan / Refusal policy catalog',
    '',
    'Generated by `npm run machines:docs` from `shared/policy/`. A case can be refused **only** with one of these codes, by an officer or the branch head',
    `(${REFUSING_ROLES.join(', ')}), and only when the guard holds on the case's facts. Every refusal prints a slip and goes to the branch head's review queue;`,
    'every other attempt is rejected, recorded in the case and shown to the head.',
    '',
    '| code | judul / title | layanan / flows | guard (berlaku bila) | dasar hukum / legal basis | langkah berikut di slip | jadwal / appointment |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Alasan KPJ tertunda / Pending KPJ reasons',
    '',
    `A KPJ left pending in a claim takes one of these codes and a follow-up date within the configured working days (\`pendingFollowUpWorkingDays\`, default ${DEFAULT_PENDING_FOLLOW_UP_WORKING_DAYS}, Mon–Fri, national holidays and joint leave skipped);`,
    "free text is a note, never the reason. Checked by the rules module (`resolutionValid`), replayed at HQ; every pending KPJ goes to the head's review.",
    '',
    '| code | judul / title | dasar / basis | tindak lanjut / follow-up |',
    '|---|---|---|---|',
    ...PENDING_CATALOG.map((p) => `| \`${p.code}\` | ${esc(p.title.id)}<br>*${esc(p.title.en)}* | ${esc(p.basis.id)} | ${esc(p.followUp.id)} |`),
    '',
    '## Bukan alasan / Non-reasons (never accepted)',
    '',
    'Fed to every machine in every reachable state by the model-based tests; none is ever accepted.',
    '',
    '| id | yang diucapkan / what was said | as an event |',
    '|---|---|---|',
    ...non,
    '',
    '## Roles',
    '',
    `- \`byCaseWorker\`, \`byCounterStaff\`: ${CASE_WORKER_ROLES.join(', ')}`,
    `- \`byTriageRole\`: ${TRIAGE_ROLES.join(', ')}`,
    `- \`byBranchHead\`: ${REVIEW_ROLES.join(', ')}`,
    '- Transfers to another branch (case flows): only `PERSON_REQUESTED`, warm (target branch ≠ this branch, SLA deadline after the request).',
    '',
  ].join('\n');
}

mkdirSync(outDir, { recursive: true });
const index: string[] = ['# Service flows', '', 'Generated by `npm run machines:docs`; do not edit by hand.', '', '- [Policy catalog](policy-catalog.md)'];
for (const { machine, title, about } of MACHINES) {
  const file = `${machine.id}.md`;
  writeFileSync(
    path.join(outDir, file),
    [`# ${title}`, '', about, '', 'Edge labels: `event [guard that must hold]`; "(records)" = stays in the step and records the fact.', '', '```mermaid', mermaid(machine), '```', ''].join('\n'),
  );
  index.push(`- [${title}](${file})`);
}
writeFileSync(path.join(outDir, 'policy-catalog.md'), catalogTable());
writeFileSync(path.join(outDir, 'README.md'), `${index.join('\n')}\n`);
console.log(`wrote ${MACHINES.length + 2} files to ${path.relative(process.cwd(), outDir)}`);
