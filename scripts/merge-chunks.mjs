// After tsup (npm run build): merges the ES module chunks the main entry loads into a few files.
//
// esbuild's code splitting cuts one chunk per combination of entry points (the package's entries and every module
// loaded on demand) that share a module, so `import("microcredentials")` loaded 24 chunks, several under 1 KB. Every
// file costs a fresh process its own resolution (realpath, package scope), read and module record, ~0.3-0.4 ms each
// (docs/speed.md, "Cold start, fewer files (round three)"). Here the main entry's chunks are grouped, each group
// becomes one file, and every import of a merged chunk, in any file, is pointed at its group's file: each module's
// code still exists once, so every entry shares one copy of the library's state (MicrocredError, caches).
//
// Groups: chunks that exactly the same package entries load (an entry loads all of such a group or none of it);
// then a group joins a group that every entry loading it loads too, when an entry that loads only the bigger one
// would load at most ADDED_SHARE more code than it does now, in a file it loads anyway; what is left under SMALL_GROUP_BYTES
// becomes one file. No merge may close an import cycle between files (that would change the order modules run in);
// the build fails if one appears. A group's file is its chunks' code as esbuild wrote them, in the order the main
// entry evaluated them (no tree shaking, annotations ignored, names as written except where two chunks used the same
// top-level name); every other file keeps its text, only its imports of merged chunks renamed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ENTRIES } from './entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How much more code (a share of what it loads now) a merge may make an entry load. */
export const ADDED_SHARE = 0.1;
/** Groups smaller than this (bytes) that joined no bigger group are merged together into one file. */
export const SMALL_GROUP_BYTES = 16 * 1024;

/** The ES module files of the package's entries (`cli` is the command's, loaded as dist/cli.js). */
const ENTRY_FILES = [...Object.keys(ENTRIES), 'cli'].map((name) => `${name}.js`);

const isChunk = (file) => /^chunk-[A-Z0-9]+\.js$/.test(file);

/** Static and dynamic relative imports of one built file, from esbuild's own reading of it. */
async function importsOf(dir, file) {
  const result = await esbuild.build({
    entryPoints: [path.join(dir, file)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'silent',
    plugins: [{ name: 'all-external', setup: (b) => b.onResolve({ filter: /.*/ }, externalUnlessEntry) }],
  });
  const input = Object.values(result.metafile.inputs)[0];
  const output = Object.values(result.metafile.outputs)[0];
  const relative = (kind) =>
    input.imports.filter((i) => i.kind === kind && i.path.startsWith('./')).map((i) => i.path.slice(2));
  return { static: relative('import-statement'), dynamic: relative('dynamic-import'), exports: output.exports };
}

function externalUnlessEntry(args) {
  return args.kind === 'entry-point' ? undefined : { path: args.path, external: true };
}

/** The files a module loads before it runs (its static imports, transitively), itself included. */
function staticClosure(graph, file) {
  const seen = new Set();
  const stack = [file];
  while (stack.length) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...graph.get(f).static);
  }
  return seen;
}

/** Chunks the main entry loads, grouped as described above: arrays of chunk file names. */
export function groupChunks(graph, sizes) {
  const closures = ENTRY_FILES.map((entry) => staticClosure(graph, entry));
  const bySignature = new Map();
  for (const chunk of evaluationOrder(graph, 'index.js')) {
    if (!isChunk(chunk)) continue;
    const signature = closures.map((c) => (c.has(chunk) ? '1' : '0')).join('');
    bySignature.set(signature, [...(bySignature.get(signature) ?? []), chunk]);
  }
  // Chunks of one signature cannot form a cycle through another chunk (what imports a chunk is loaded by every entry
  // that loads it, so a chunk between two of one signature has that signature too); the merges below can, so each
  // is made only where it closes no cycle.
  let groups = [...bySignature].map(([signature, chunks]) => ({
    signature,
    chunks,
    bytes: chunks.reduce((n, chunk) => n + sizes.get(chunk), 0),
  }));
  const covers = (a, b) => [...a.signature].every((bit, i) => bit === '1' || b.signature[i] === '0');
  const entries = (g) => [...g.signature].filter((bit) => bit === '1').length;
  const acyclic = (merged, without) =>
    !hasCycle(graph, [...groups.filter((g) => !without.includes(g)).map((g) => g.chunks), merged]);
  /** Bytes each entry loads today. */
  const loaded = closures.map((c) => [...c].reduce((n, f) => n + sizes.get(f), 0));
  // A group joins a group that every entry loading it loads too (those entries load one file fewer), when each entry
  // that loads only the bigger one would load at most ADDED_SHARE more code than it does now (a module's code can be
  // dear to run at load, not only to compile: vocabularies, hash tables): the fewest entries first.
  const cheapFor = (host, small) =>
    [...host.signature].every(
      (bit, i) => bit === '0' || small.signature[i] === '1' || small.bytes <= ADDED_SHARE * loaded[i],
    );
  for (const small of [...groups].sort((a, b) => a.bytes - b.bytes)) {
    const host = groups
      .filter(
        (g) =>
          g !== small && covers(g, small) && cheapFor(g, small) && acyclic([...g.chunks, ...small.chunks], [g, small]),
      )
      .sort((a, b) => entries(a) - entries(b) || a.bytes - b.bytes)[0];
    if (!host) continue;
    host.chunks.push(...small.chunks);
    host.bytes += small.bytes;
    groups = groups.filter((g) => g !== small);
  }
  // What is left under SMALL_GROUP_BYTES becomes one file (or as few as closing no cycle allows).
  const buckets = [];
  for (const small of groups.filter((g) => g.bytes < SMALL_GROUP_BYTES)) {
    const others = groups.filter((g) => g.bytes >= SMALL_GROUP_BYTES).map((g) => g.chunks);
    const bucket = buckets.find(
      (b) => !hasCycle(graph, [...others, ...buckets.filter((o) => o !== b), [...b, ...small.chunks]]),
    );
    if (bucket) bucket.push(...small.chunks);
    else buckets.push([...small.chunks]);
  }
  return [...groups.filter((g) => g.bytes >= SMALL_GROUP_BYTES).map((g) => g.chunks), ...buckets]
    .filter((g) => g.length > 1)
    .map((g) => g.sort());
}

/** Whether the files of `graph`, with each group taken as one file, import each other in a cycle. */
function hasCycle(graph, groups) {
  const node = new Map();
  for (const [i, group] of groups.entries()) for (const f of group) node.set(f, `group ${i}`);
  const edges = new Map();
  for (const [file, { static: imports }] of graph) {
    const from = node.get(file) ?? file;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const dep of imports) if ((node.get(dep) ?? dep) !== from) edges.get(from).add(node.get(dep) ?? dep);
  }
  const state = new Map();
  const visit = (n) => {
    if (state.get(n) === 'done') return false;
    if (state.get(n) === 'open') return true;
    state.set(n, 'open');
    for (const m of edges.get(n) ?? []) if (visit(m)) return true;
    state.set(n, 'done');
    return false;
  };
  return [...edges.keys()].some(visit);
}

/** The name the export `name` of `chunk` gets in its group's file: `chunk-A.js`, `x` → `chunk_A$x`. */
const exportName = (chunk, name) => `${chunk.replace(/\.js$/, '').replace('-', '_')}$${name}`;

/**
 * Points a built file's static imports of merged chunks (other than `inside`, the chunks bundled with it) at their
 * groups' files, under the names the groups export them as. esbuild writes these imports in three forms only
 * (`import { a, b as c } from`, `export { … } from`, a bare `import`); any other mention of a merged chunk fails.
 */
function pointAtGroups(text, inside, groupFile, graph) {
  const statement = /^(import|export) (?:(\{[^}]*\}) from )?(['"])\.\/(chunk-[A-Z0-9]+\.js)\3;$/gm;
  const out = text.replace(statement, (line, keyword, list, quote, chunk) => {
    if (!groupFile.has(chunk) || inside.includes(chunk)) return line;
    const target = `${quote}./${groupFile.get(chunk)}${quote}`;
    if (!list) return `${keyword} ${target};`;
    const exported = new Set(graph.get(chunk).exports);
    const names = list
      .slice(1, -1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((spec) => {
        const [name, local = name] = spec.split(/\s+as\s+/);
        if (!exported.has(name)) throw new Error(`merge-chunks: ${chunk} does not export ${name}`);
        return `${exportName(chunk, name)} as ${local}`;
      });
    return `${keyword} { ${names.join(', ')} } from ${target};`;
  });
  for (const chunk of groupFile.keys())
    if (!inside.includes(chunk) && out.includes(chunk))
      throw new Error(`merge-chunks: a reference to ${chunk} that is not an import esbuild writes`);
  return out;
}

/** Merges the main entry's chunks in `dir` (dist/); returns the groups, each with the file it became. */
export async function mergeChunks(dir = path.join(root, 'dist')) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  const graph = new Map();
  for (const file of files) graph.set(file, await importsOf(dir, file));
  const sizes = new Map(files.map((f) => [f, fs.statSync(path.join(dir, f)).size]));
  const groups = groupChunks(graph, sizes);

  /** merged chunk → the file of its group */
  const groupFile = new Map();
  for (const group of groups) {
    const hash = crypto.createHash('sha256');
    for (const chunk of group) hash.update(`${chunk}\n${fs.readFileSync(path.join(dir, chunk), 'utf8')}\n`);
    const file = `chunk-${hash.digest('hex').slice(0, 8).toUpperCase()}.js`;
    for (const chunk of group) groupFile.set(chunk, file);
  }

  // A group's file: esbuild bundles its chunks, each read with its imports of other groups' chunks already pointed at
  // those groups' files (which stay external, as does everything that is not one of the group's chunks).
  const build = (contents, group) =>
    esbuild.build({
      stdin: { contents, resolveDir: dir, sourcefile: 'merged.js' },
      absWorkingDir: dir,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      treeShaking: false,
      ignoreAnnotations: true,
      legalComments: 'inline',
      logLevel: 'warning',
      plugins: [
        {
          name: 'merged-chunks',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              const target = args.path.startsWith('./') ? args.path.slice(2) : undefined;
              if (args.kind === 'import-statement' && target && group.includes(target))
                return { path: path.join(dir, target) };
              return { path: args.path, external: true };
            });
            b.onLoad({ filter: /\.js$/ }, (args) => ({
              contents: pointAtGroups(fs.readFileSync(args.path, 'utf8'), group, groupFile, graph),
              loader: 'js',
            }));
          },
        },
      ],
    });

  const written = new Map();
  // Each group's chunks in the order the main entry evaluated them (a module's static imports first).
  const order = evaluationOrder(graph, 'index.js');
  for (const group of groups) {
    const members = order.filter((f) => group.includes(f));
    const contents = members
      .map((chunk) => {
        const names = graph.get(chunk).exports.map((name) => `${name} as ${exportName(chunk, name)}`);
        return names.length ? `export { ${names.join(', ')} } from "./${chunk}";` : `import "./${chunk}";`;
      })
      .join('\n');
    const out = await build(contents, group);
    written.set(groupFile.get(group[0]), out.outputFiles[0].text);
  }
  // Every other file keeps its text; only its imports of merged chunks now name their groups' files.
  for (const file of files) {
    if (groupFile.has(file) || !graph.get(file).static.some((f) => groupFile.has(f))) continue;
    written.set(file, pointAtGroups(fs.readFileSync(path.join(dir, file), 'utf8'), [], groupFile, graph));
  }
  for (const chunk of groupFile.keys()) fs.rmSync(path.join(dir, chunk));
  for (const [file, text] of written) fs.writeFileSync(path.join(dir, file), text);
  await refuseCycles(dir);
  return groups.map((group) => ({ file: groupFile.get(group[0]), chunks: group }));
}

/**
 * Chunks that import each other would evaluate in another order once merged (a cycle between files runs one file's
 * code before its imports'): esbuild's chunks form no cycle, and neither may the merged files.
 */
async function refuseCycles(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  const graph = new Map();
  for (const file of files) graph.set(file, await importsOf(dir, file));
  const state = new Map();
  const visit = (f, trail) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') throw new Error(`merge-chunks: import cycle ${[...trail, f].join(' → ')}`);
    state.set(f, 'open');
    for (const dep of graph.get(f).static) visit(dep, [...trail, f]);
    state.set(f, 'done');
  };
  for (const file of files) visit(file, []);
}

/** Files in the order an ES module graph evaluates them from `entry` (post-order of static imports). */
function evaluationOrder(graph, entry) {
  const order = [];
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const dep of graph.get(f).static) visit(dep);
    order.push(f);
  };
  visit(entry);
  return order;
}

/**
 * Writes every ES module file in `dir` without whitespace or comments (esbuild's minifyWhitespace; names and
 * statements as written, as the CommonJS copy already is). A process that loads the package has V8 scan every
 * character of what the main entry imports before it runs a line: ~1 MB as written, a third of it indentation,
 * line breaks and comments. Done after merging, whose import rewriting reads esbuild's one-statement-a-line output.
 */
export async function minifyWhitespace(dir = path.join(root, 'dist')) {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const out = await esbuild.transform(text, {
      loader: 'js',
      format: 'esm',
      target: 'es2022',
      minifyWhitespace: true,
      legalComments: 'inline',
      logLevel: 'warning',
    });
    fs.writeFileSync(path.join(dir, file), out.code);
  }
}

async function main() {
  const groups = await mergeChunks();
  const merged = groups.reduce((n, g) => n + g.chunks.length, 0);
  console.log(`merge-chunks: ${merged} chunks of the main entry → ${groups.length} files`);
  await minifyWhitespace();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
