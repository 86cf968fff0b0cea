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
  // import.meta.url in the Node-only code (createRequire for the optional SQLite driver) needs a shim in CJS.
  shims: true,
  splitting: false,
  treeshake: true,
  external: ['better-sqlite3'],
});
