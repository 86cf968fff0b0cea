import { defineConfig, type Options } from 'tsup';
import { ENTRIES } from './scripts/entries.mjs';

/** Every package entry (scripts/entries.mjs: `index`, `node`, `proof`, `jsonld`, `status`, `model`) → its source file. */
const library = ENTRIES;

// The main entry is isomorphic (no node: imports); `node` and the CLI may use Node built-ins.
const shared: Options = {
  target: 'es2022',
  platform: 'neutral',
  // import.meta.url (createRequire of our CommonJS dependencies, src/platform/commonjs.ts) needs a shim in CJS.
  shims: true,
  treeshake: true,
  external: ['better-sqlite3', 'pg'],
  // The three format checks the generated validators use (12 KB of CommonJS) go into the bundle: imported from our
  // ESM at start-up, Node would scan that file with cjs-module-lexer in every process and worker.
  noExternal: ['ajv-formats'],
  // No source maps in the package: they were 10 of its 15 MB unpacked, and the sources they point to are not shipped.
  sourcemap: false,
};

export default defineConfig([
  {
    ...shared,
    // The library: ESM with shared chunks, so `microcredentials/node` and the CLI reuse the core's code instead of
    // each carrying a copy of it (three copies of ~780 KB before). esbuild cuts two dozen chunks for the main entry
    // alone; `npm run build` then merges them into a few files (scripts/merge-chunks.mjs).
    entry: { ...library, cli: 'src/cli/bin.ts' },
    format: ['esm'],
    // noble's Ed25519 and SHA-2 (five ESM files, the only dependencies the main entry loads) go into our chunks:
    // resolving a package's files through its `exports` and compiling each as a module of its own cost every process
    // ~3-4 ms of its start-up (docs/speed.md, "Cold start").
    noExternal: [...(shared.noExternal as string[]), /^@noble\//],
    dts: { entry: library },
    splitting: true,
    clean: true,
  },
  {
    ...shared,
    // CommonJS for require() users of the library; the CLI is ESM only (its bin is dist/cli.js). Shared chunks here
    // too: with six entries, one bundle each would carry the core six times (the package must stay under 4 MB).
    entry: library,
    format: ['cjs'],
    // Whitespace only (names and statements stay as written): the CommonJS copy is for require() users, and the
    // 4 MB package gate has to hold both copies of the library.
    minifyWhitespace: true,
    dts: { entry: library },
    splitting: true,
    clean: false,
  },
]);
