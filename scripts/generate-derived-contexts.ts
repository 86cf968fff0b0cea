// Generates src/jsonld/fast/derived-contexts.generated.ts: jsonld.js's processing of the @context lists our builders
// emit (scripts/generate-active-contexts.mjs's SNAPSHOT_LISTS) and of the type- and property-scoped contexts (and
// embedded context lists) that our builders' credentials reach from them when they are issued and verified. The
// first credential of a process otherwise waits ~20 ms for jsonld.js to process the top-level lists, then has it
// process ~20 scoped contexts, each a deep copy of the whole term map. Which scoped contexts: those the fast path
// derives while issuing (eddsa-rdfc-2022 and eddsa-jcs-2022) and verifying every course of the seed programme for
// the sample learners, with snapshots off, so each one is jsonld.js's own. Any other combination is still processed
// at run time. Run: npm run gen (tsx). test/active-contexts.test.ts and test/derived-contexts.test.ts hold every
// restored context deep-equal to what jsonld.js computes now, and this file to what this script writes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = path.join(root, 'src/jsonld/fast/derived-contexts.generated.ts');

interface TreeNode {
  readonly active: object;
  readonly derived: { kind: string; key: string; node: TreeNode }[];
}

/**
 * The compiled-context tree that issuing and verifying the corpus builds, from top-level lists that have a
 * build-time snapshot: each node jsonld.js's active context. Needs a fresh module instance of the fast path (a
 * separate process, or vi.resetModules in a test): contexts compiled earlier would not be derived again.
 */
export async function derivedContextTree(): Promise<Map<string, TreeNode>> {
  const { compiledTopLevelContexts, useContextSnapshots } = await import('../src/jsonld/fast/compiled-context');
  // @ts-expect-error untyped build script
  const { SNAPSHOT_LISTS, processLists } = await import('./generate-active-contexts.mjs');
  const { award, defineIssuer, generateKey, issue, verify } = await import('../src/index');
  const { reiProgramme, sampleLearners } = await import('../examples/rei-programme');
  useContextSnapshots(false);
  try {
    // The contexts derived do not depend on the key (nor on any value), only on the documents' shape.
    const key = generateKey();
    const issuers = [
      defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE', region: 'Tartu County' }),
      defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' }),
    ];
    for (const issuer of issuers) {
      for (const { learner, autumn, spring } of sampleLearners) {
        const grades = [...autumn, ...spring];
        for (const [i, part] of reiProgramme.parts.entries()) {
          const credential = award(part, { issuer, learner, grade: grades[i], awardedOn: '2024-01-26' });
          for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
            const report = await verify(await issue(credential, { key, format }));
            if (!report.verified) throw new Error(`corpus credential ${part.id} (${format}) did not verify`);
          }
        }
      }
    }
  } finally {
    useContextSnapshots(true);
  }
  type Compiled = ReturnType<typeof compiledTopLevelContexts> extends Map<string, infer C> ? C : never;
  const node = (context: Compiled): TreeNode => ({
    active: context.active,
    derived: context
      .derivedContexts()
      .map(({ kind, key, context: child }) => ({ kind, key, node: node(child) }))
      .sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : a.kind + a.key > b.kind + b.key ? 1 : 0)),
  });
  const tree = new Map<string, TreeNode>();
  const compiled = compiledTopLevelContexts();
  const processed = (await processLists()) as Record<string, object>;
  for (const urls of SNAPSHOT_LISTS as string[][]) {
    const listKey = urls.join('\n');
    const context = compiled.get(listKey);
    // A list the corpus does not reach is snapshotted on its own, without scoped contexts.
    tree.set(listKey, context !== undefined ? node(context) : { active: processed[listKey]!, derived: [] });
  }
  return tree;
}

/**
 * The snapshot table: every term definition once (encoded as scripts/generate-active-contexts.mjs encodes), every
 * active context once (its `mappings` as [term, definition index] pairs in order, -1 for a term mapped to null; its
 * `previousContext` by index; jsonld.js's methods left out, as the top-level snapshots leave them), and the tree by top-level list and `kind\nkey`.
 */
export async function encodeDerivedContexts(tree: Map<string, TreeNode>): Promise<object> {
  // @ts-expect-error untyped build script
  const { encode } = await import('./generate-active-contexts.mjs');
  const terms: string[] = [];
  const termIndex = new Map<string, number>();
  const defs: unknown[] = [];
  const defIndex = new Map<string, number>();
  const contexts: unknown[] = [];
  const contextIndex = new Map<string, number>();
  const seen = new Map<object, number>();
  const intern = (table: unknown[], index: Map<string, number>, value: unknown): number => {
    const json = JSON.stringify(value);
    let i = index.get(json);
    if (i === undefined) {
      i = table.length;
      table.push(value);
      index.set(json, i);
    }
    return i;
  };
  const encodeContext = (active: object): number => {
    const known = seen.get(active);
    if (known !== undefined) return known;
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(active)) {
      if (field === 'mappings' && value instanceof Map) {
        out.mappings = {
          $m: [...value].flatMap(([term, def]) => [
            intern(terms, termIndex, term),
            def === null ? -1 : intern(defs, defIndex, encode(def)),
          ]),
        };
      } else if (
        field === 'protected' &&
        value !== null &&
        typeof value === 'object' &&
        Object.values(value).every((v) => v === true)
      ) {
        // jsonld.js's protected-term set, { term: true, … }: the terms' indexes, in order.
        out.protected = { $p: Object.keys(value).map((term) => intern(terms, termIndex, term)) };
      } else if (field === 'previousContext' && value !== null && typeof value === 'object') {
        out.previousContext = { $ctx: encodeContext(value) };
      } else if (typeof value !== 'function') {
        out[field] = encode(value);
      }
    }
    const i = intern(contexts, contextIndex, out);
    seen.set(active, i);
    return i;
  };
  // A scoped context is named by a term definition that holds it (its cache key is its JSON).
  const appliedDef = (key: string): number => {
    const i = defs.findIndex((def) => JSON.stringify((def as Record<string, unknown>)['@context']) === key);
    if (i < 0) throw new Error(`no term definition holds the scoped context ${key.slice(0, 80)}`);
    return i;
  };
  const encodeNode = ({ active, derived }: TreeNode): object => ({
    context: encodeContext(active),
    derived: derived.map(({ kind, key, node }) => [kind, kind === 'e' ? key : appliedDef(key), encodeNode(node)]),
  });
  const encodedTree = Object.fromEntries([...tree].map(([listKey, node]) => [listKey, encodeNode(node)]));
  return { terms, defs, contexts, tree: encodedTree };
}

export async function generateDerivedContextsSource(): Promise<string> {
  const table = await encodeDerivedContexts(await derivedContextTree());
  return [
    '// GENERATED by scripts/generate-derived-contexts.ts with jsonld.js from the bundled contexts. Do not edit by hand.',
    '/* eslint-disable */',
    "/** jsonld.js's active contexts for our @context lists and the scoped contexts our credentials reach, as JSON (see the script). */",
    // JSON in a single-quoted literal: its many double quotes need no escapes (a smaller package).
    `export const DERIVED_CONTEXTS: string = '${JSON.stringify(table).replace(/[\\']/g, '\\$&')}';`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const source = await generateDerivedContextsSource();
  const previous = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
  if (previous !== source) fs.writeFileSync(TARGET, source);
  console.log(`derived contexts → ${path.relative(root, TARGET)} (${source.length} bytes)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
