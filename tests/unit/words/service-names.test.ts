import { describe, expect, it } from 'vitest';
import { SERVICES } from '@shared/cases/schema';
import { en } from '@shared/i18n/en';
import { id } from '@shared/i18n/id';

// Issue 16 pt 14: one name per service everywhere (door, display, desk, head, printouts). Every
// entry of the dictionaries keyed by a service code says exactly `service.<code>.name`.

type Tree = { readonly [k: string]: string | Tree };

function leaves(tree: Tree, path: string[] = []): Array<{ path: string[]; value: string }> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [{ path: [...path, k], value: v }] : leaves(v, [...path, k])));
}

const isService = (s: string | undefined): s is (typeof SERVICES)[number] => (SERVICES as readonly string[]).includes(s ?? '');

/** The service a leaf names: `…<code>` or `…<code>.title`; null for other leaves. */
function serviceOf(path: string[]): (typeof SERVICES)[number] | null {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (isService(last)) return last;
  if (last === 'title' && isService(parent)) return parent;
  return null;
}

// Names in use before issue 16, for the same four services.
const ALTERNATIVES = [
  'Berhenti BPU',
  'Berhenti peserta BPU',
  'Reset JMO',
  'Informasi umum',
  'Layanan umum',
  'BPU membership stop',
  'JMO reset',
  'General information',
  'General service',
];

describe.each([
  ['id', id as unknown as Tree],
  ['en', en as unknown as Tree],
])('the %s dictionary', (_lang, dict) => {
  const names = dict.service as Tree;

  it('has one name per service', () => {
    for (const s of SERVICES) expect(typeof (names[s] as Tree).name).toBe('string');
  });

  it('every entry keyed by a service says that name', () => {
    const named = leaves(dict).filter((l) => l.path[0] !== 'service' && serviceOf(l.path));
    expect(named.length).toBeGreaterThan(10);
    for (const l of named) expect({ at: l.path.join('.'), value: l.value }).toEqual({ at: l.path.join('.'), value: (names[serviceOf(l.path)!] as Tree).name });
  });

  it('no other name for a service is left', () => {
    const found = leaves(dict).filter((l) => ALTERNATIVES.some((a) => l.value === a || l.value.startsWith(`${a} `) || l.value.startsWith(`${a}:`)));
    expect(found.map((l) => `${l.path.join('.')}: ${l.value}`)).toEqual([]);
  });
});
