import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// Writes real probe files into each runtime folder and lints them with the project's own config,
// so the test proves the boundaries that `npm test` enforces, not a copy of them.
const root = path.resolve(import.meta.dirname, '../..');
const probes: string[] = [];

async function lint(relFile: string, code: string): Promise<string[]> {
  const file = path.join(root, relFile);
  fs.writeFileSync(file, code);
  probes.push(file);
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

afterAll(() => {
  for (const f of probes) fs.rmSync(f, { force: true });
});

const cases: { name: string; file: string; code: string; rule: RegExp }[] = [
  { name: 'shared importing electron', file: 'shared/__probe_electron.ts', code: "import { app } from 'electron';\nexport const x = app;\n", rule: /loket\/boundaries/ },
  { name: 'shared importing a node built-in', file: 'shared/__probe_fs.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", rule: /loket\/boundaries/ },
  { name: 'shared importing react', file: 'shared/__probe_react.ts', code: "import { useState } from 'react';\nexport const x = useState;\n", rule: /loket\/boundaries/ },
  { name: 'state-machines importing rxdb', file: 'state-machines/__probe_rxdb.ts', code: "import { createRxDatabase } from 'rxdb';\nexport const x = createRxDatabase;\n", rule: /loket\/boundaries/ },
  { name: 'state-machines importing path', file: 'state-machines/__probe_path.ts', code: "import path from 'path';\nexport const x = path;\n", rule: /loket\/boundaries/ },
  { name: 'state-machines using a DOM global', file: 'state-machines/__probe_dom.ts', code: 'export const x = (): unknown => window.location;\n', rule: /no-restricted-globals/ },
  { name: 'shared using a Node global', file: 'shared/__probe_process.ts', code: 'export const x = (): unknown => process.env;\n', rule: /no-restricted-globals/ },
  { name: 'shared importing state-machines', file: 'shared/__probe_up.ts', code: "export * from '../state-machines/index';\n", rule: /loket\/boundaries/ },
  { name: 'renderer importing main', file: 'renderer/src/__probe_main.ts', code: "export { createCore } from '../../main/core';\n", rule: /loket\/boundaries/ },
  { name: 'renderer importing hq', file: 'renderer/src/__probe_hq.ts', code: "export * from '../../hq/index';\n", rule: /loket\/boundaries/ },
  { name: 'renderer importing electron', file: 'renderer/src/__probe_electron.ts', code: "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", rule: /loket\/boundaries/ },
  { name: 'main importing renderer', file: 'main/__probe_renderer.ts', code: "export { loket } from '../renderer/src/bridge/index';\n", rule: /loket\/boundaries/ },
  // Inside the renderer (issue 19 pt 2): screens -> data -> bridge, and screens never touch RxDB.
  { name: 'a screen importing rxdb', file: 'renderer/src/screens/__probe_rxdb.ts', code: "import { createRxDatabase } from 'rxdb';\nexport const x = createRxDatabase;\n", rule: /no-restricted-imports/ },
  { name: 'a screen reading the database', file: 'renderer/src/screens/__probe_db.ts', code: 'export const x = (data: { db: unknown }): unknown => data.db;\n', rule: /no-restricted-syntax/ },
  { name: 'the data layer importing a screen', file: 'renderer/src/data/__probe_up.ts', code: "export { Workbench } from '../screens/desk/Workbench';\n", rule: /no-restricted-imports/ },
  { name: 'the bridge importing the data layer', file: 'renderer/src/bridge/__probe_up.ts', code: "export { useData } from '../data/DataProvider';\n", rule: /no-restricted-imports/ },
  { name: 'a script importing main', file: 'scripts/__probe_main.ts', code: "export { createCore } from '../main/core';\n", rule: /loket\/boundaries/ },
  { name: 'a script importing the renderer', file: 'scripts/__probe_renderer.ts', code: "export { collectPendingRecords } from '../renderer/src/data/handcarry-collect';\n", rule: /loket\/boundaries/ },
  // Aliases (issue 19 pt 2) land in the folder they name, so they cannot slip past the layers...
  { name: 'shared importing state-machines by its alias', file: 'shared/__probe_alias_up.ts', code: "export * from '@state-machines';\n", rule: /may not import from 'state-machines'/ },
  { name: 'main importing state-machines by its alias', file: 'main/__probe_alias_machines.ts', code: "export { replay } from '@state-machines/index';\n", rule: /may not import from 'state-machines'/ },
  // ...and the folders they name are imported by alias, never by a relative path, from anywhere else.
  { name: 'the renderer importing shared by a relative path', file: 'renderer/src/__probe_relative.ts', code: "export { Role } from '../../shared/staff/schema';\n", rule: /by its alias: '@shared\/staff\/schema'/ },
  { name: 'a test importing state-machines by a relative path', file: 'tests/__probe_relative.ts', code: "export * from '../state-machines';\n", rule: /by its alias: '@state-machines'/ },
];

describe('layer boundaries are lint errors', () => {
  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const errors = await lint(c.file, c.code);
      expect(errors.some((e) => c.rule.test(e)), errors.join('\n')).toBe(true);
    });
  }

  it('accepts what the layers allow', async () => {
    const errors = await lint(
      'state-machines/__probe_ok.ts',
      "import { z } from 'zod';\nimport { Role } from '@shared/staff/schema';\nexport const x = z.object({ role: Role });\n",
    );
    expect(errors).toEqual([]);
  });
});
