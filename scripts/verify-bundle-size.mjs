/**
 * The verify-only bundle: what a web page that imports `verify` (and nothing else) from the library loads before its
 * first verification can start, gzipped. Built as such a page is built (Vite, i.e. Rollup, production minification,
 * browser resolution) from an entry that imports only `verify`; counted are the entry chunk and every chunk it
 * imports statically (what the browser must fetch), not the chunks loaded on demand (issuing, jsonld.js, SD-JWT,
 * VC-JWT, baked images, status lists, related resources), which are listed apart. Every chunk carries V8's compile
 * hint, as the verifier page's and the browser benchmark's do (web/compile-hints.mjs; ~24 bytes gzipped each).
 *
 *   node scripts/verify-bundle-size.mjs            # prints the table; exit 1 when over budget
 *   node scripts/verify-bundle-size.mjs --json     # one JSON line
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { compileHints } from '../web/compile-hints.mjs';

/** Issue 23: the verify-only bundle ≤ 100 KB gzipped. */
export const BUDGET_KB = 100;

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds the verify-only entry; returns its chunks with their gzipped sizes and static imports. */
export async function measureVerifyBundle() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-verify-bundle-'));
  try {
    const entry = path.join(dir, 'entry.js');
    fs.writeFileSync(
      entry,
      `import { verify } from ${JSON.stringify(path.join(root, 'src/index.ts'))};\nglobalThis.verifyCredential = verify;\n`,
    );
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      plugins: [compileHints()],
      build: {
        write: false,
        target: 'es2022',
        modulePreload: false,
        rollupOptions: { input: entry, output: { format: 'es' }, preserveEntrySignatures: 'strict' },
      },
    });
    const chunks = (Array.isArray(output) ? output : [output])
      .flatMap((o) => o.output)
      .filter((c) => c.type === 'chunk');
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const main = chunks.find((c) => c.isEntry);
    const loaded = new Set();
    const visit = (name) => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const i of byName.get(name).imports) visit(i);
    };
    visit(main.fileName);
    const gz = (c) => zlib.gzipSync(c.code, { level: 9 }).length;
    const describe = (c) => ({
      file: c.fileName,
      gzippedBytes: gz(c),
      modules: Object.entries(c.modules)
        .sort((a, b) => b[1].renderedLength - a[1].renderedLength)
        .map(([id, m]) => ({
          id: path.relative(root, id).replace(/^(\.\.\/)*(main\/)?node_modules\//, ''),
          bytes: m.renderedLength,
        })),
    });
    const staticChunks = [...loaded].map((n) => describe(byName.get(n)));
    const onDemand = chunks.filter((c) => !loaded.has(c.fileName)).map(describe);
    const kb = staticChunks.reduce((n, c) => n + c.gzippedBytes, 0) / 1024;
    return { kb, budgetKb: BUDGET_KB, staticChunks, onDemand };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureVerifyBundle();
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    const verbose = process.argv.includes('--modules');
    const line = (c) =>
      `${(c.gzippedBytes / 1024).toFixed(1).padStart(6)} KB  ${c.file}  (${c.modules
        .slice(0, verbose ? undefined : 4)
        .map((m) => (verbose ? `${m.id} ${(m.bytes / 1024).toFixed(1)}` : m.id))
        .join(', ')})`;
    console.log(`verify-only bundle: ${result.kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB), loaded up front:`);
    for (const c of result.staticChunks) console.log(line(c));
    console.log('loaded on demand:');
    for (const c of result.onDemand) console.log(line(c));
  }
  if (result.kb > BUDGET_KB) process.exitCode = 1;
}
