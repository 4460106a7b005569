import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/eslint-boundaries.js';

// Pure code (state-machines/, shared/) runs in the renderer, main and HQ alike:
// no platform packages, no node built-ins, no DOM or Node globals.
const purePackages = ['electron', 'electron-*', 'react', 'react-*', '@xstate/react', 'rxdb', 'rxjs', 'dexie', 'fastify', 'pg', 'i18next', 'react-i18next'];
const allowedInPure = new Set(['console', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'structuredClone', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder']);
const impureGlobals = [
  ...new Set([...Object.keys(globals.browser), ...Object.keys(globals.node)]),
]
  .filter((name) => !(name in globals.es2024) && !allowedInPure.has(name))
  .map((name) => ({ name, message: 'state-machines/ and shared/ are pure: pass this in from the caller.' }));

export const layers = {
  shared: { layers: [], forbidPackages: [...purePackages, 'xstate'], forbidNodeBuiltins: true },
  'state-machines': { layers: ['shared'], forbidPackages: purePackages, forbidNodeBuiltins: true },
  renderer: { layers: ['shared', 'state-machines'], forbidPackages: ['electron', 'electron-*', 'fastify', 'pg'], forbidNodeBuiltins: true },
  main: { layers: ['shared', 'main/preload', 'package.json'], forbidPackages: ['react', 'react-dom', 'rxdb', 'dexie'] },
  'main/preload': { layers: ['shared'], forbidPackages: ['react', 'react-dom', 'rxdb', 'dexie'] },
  hq: { layers: ['shared', 'state-machines'], forbidPackages: ['electron', 'electron-*', 'react', 'react-dom'] },
  // Dev and ops scripts run in Node: shared rules and machines, never main's or a window's code (the
  // hand-carry format is shared/handcarry/). hq: the import reads the device keys HQ registered (hq/device-audit.ts).
  scripts: { layers: ['shared', 'state-machines', 'hq', 'package.json'], forbidPackages: ['electron', 'electron-*', 'react', 'react-dom', 'rxdb', 'dexie', 'fastify', 'pg'] },
};

// Inside the renderer (issue 19 pt 2): screens -> data -> bridge, one way. Screens read and write
// through the data layer (renderer/src/data/hooks/ and the stores), never RxDB itself.
const rxdbFromScreens = {
  group: ['rxdb', 'rxdb/*', 'dexie', 'rxjs', 'rxjs/*', '**/data/db/database'],
  message: 'Screens reach the local database through the data layer (renderer/src/data/hooks/), not RxDB.',
};
const upFromData = {
  group: ['**/screens', '**/screens/*', '**/app/*', '**/components/*', '**/print', '**/print/*'],
  message: 'The data layer is below the screens (screens -> data -> bridge): pass what it needs in.',
};
const upFromBridge = {
  group: ['**/screens/*', '**/app/*', '**/components/*', '**/data/*', '**/sync/*', '**/print/*'],
  message: 'The bridge is the bottom of the renderer: it imports only shared/.',
};

export default tseslint.config(
  { ignores: ['out/**', '.out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/e2e/artifacts/**', 'tests/unit/fixtures/lint/**', 'docs/**', 'scripts/*.d.mts', 'tests/bench/peer/node_modules/**', '.tools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { loket: boundaries },
    rules: {
      'loket/boundaries': ['error', layers],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**', 'state-machines/**'],
    rules: { 'no-restricted-globals': ['error', ...impureGlobals] },
  },
  {
    files: ['renderer/src/screens/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [rxdbFromScreens] }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='db']", message: rxdbFromScreens.message }],
    },
  },
  {
    files: ['renderer/src/data/**', 'renderer/src/sync/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [upFromData] }] },
  },
  {
    files: ['renderer/src/bridge/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [upFromBridge] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
