// Layer rules of DESIGN.md §4 as one lint rule: which of our folders and which
// packages each runtime folder may import. Resolves relative and aliased imports
// to the folder they land in, so a file named "main.tsx" inside renderer/ is not
// mistaken for the main/ runtime, and `@state-machines/…` counts as state-machines/.
// Also: an aliased folder is imported by its alias from everywhere else (issue 19 pt 2).
import path from 'node:path';
import { builtinModules } from 'node:module';
import { aliasesAt, aliasFolders } from './aliases.mjs';

const root = path.resolve(import.meta.dirname, '..');
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Folder of ours a path belongs to, e.g. "main/preload" or "shared". */
function layerOf(absPath) {
  const rel = path.relative(root, absPath).split(path.sep);
  if (rel[0] === 'main' && rel[1] === 'preload') return 'main/preload';
  return rel[0] ?? '';
}

/** Absolute path an aliased import names (`@shared/x` → <root>/shared/x), or null. */
const aliases = aliasesAt(root);
function aliasedPath(spec) {
  for (const [alias, folder] of Object.entries(aliases)) {
    if (spec === alias || spec.startsWith(`${alias}/`)) return path.join(folder, spec.slice(alias.length));
  }
  return null;
}

const aliasOfLayer = new Map(Object.entries(aliasFolders).map(([alias, folder]) => [folder, alias]));

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0];
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      layer: "'{{from}}' may not import from '{{to}}' (DESIGN.md §4: {{from}} may import {{allowed}}).",
      pkg: "'{{from}}' may not import '{{spec}}': {{why}}.",
      alias: "Import {{to}}/ by its alias: '{{suggestion}}', not '{{spec}}'.",
    },
  },
  create(context) {
    /** @type {Record<string, { layers: string[], forbidPackages?: string[], forbidNodeBuiltins?: boolean }>} */
    const layers = context.options[0] ?? {};
    const from = layerOf(context.filename);
    const policy = layers[from];

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const aliased = aliasedPath(spec);
      if (aliased !== null || spec.startsWith('.')) {
        const resolved = aliased ?? path.resolve(path.dirname(context.filename), spec);
        const target = layerOf(resolved);
        if (target === from) return;
        if (policy && !policy.layers.includes(target)) {
          context.report({ node, messageId: 'layer', data: { from, to: target, allowed: policy.layers.join(', ') || 'nothing of ours' } });
          return;
        }
        const alias = aliasOfLayer.get(target);
        if (aliased === null && alias !== undefined) {
          const rest = path.relative(path.join(root, target), resolved).split(path.sep).join('/');
          context.report({ node, messageId: 'alias', data: { to: target, spec, suggestion: rest ? `${alias}/${rest}` : alias } });
        }
        return;
      }
      if (!policy) return;
      if (policy.forbidNodeBuiltins && (nodeBuiltins.has(spec) || nodeBuiltins.has(packageName(spec)))) {
        context.report({ node, messageId: 'pkg', data: { from, spec, why: 'node built-ins are not available here' } });
        return;
      }
      const name = packageName(spec);
      for (const forbidden of policy.forbidPackages ?? []) {
        if (name === forbidden || (forbidden.endsWith('*') && name.startsWith(forbidden.slice(0, -1)))) {
          context.report({ node, messageId: 'pkg', data: { from, spec, why: `${forbidden} belongs to another runtime` } });
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { boundaries: rule } };
