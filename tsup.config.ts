import { defineConfig } from 'tsup';

// The main entry is isomorphic (no node: imports); `node` and the CLI may use Node built-ins.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    cli: 'src/cli/bin.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', node: 'src/node/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // import.meta.url (createRequire of our CommonJS dependencies, src/platform/commonjs.ts) needs a shim in CJS.
  shims: true,
  splitting: false,
  treeshake: true,
  external: ['better-sqlite3'],
  // The three format checks the generated validators use (12 KB of CommonJS) go into the bundle: imported from our
  // ESM at start-up, Node would scan that file with cjs-module-lexer in every process and worker.
  noExternal: ['ajv-formats'],
});
