import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Left out of the quick tier (`npm run test:quick`, `--mode quick`): files that spawn processes, build or bundle the
 * package, drive Chromium, run the reference stack or thousands of property runs. CI and `npm test` run them all.
 */
const SLOW = [
  'test/api-surface.test.ts',
  'test/bake-browser.test.ts',
  'test/browser.test.ts',
  'test/build.test.ts',
  'test/bundle-node.test.ts',
  'test/cli-office.test.ts',
  'test/cli-plain-words.test.ts',
  'test/cli-stack.test.ts',
  'test/cli.test.ts',
  'test/fastpath*.test.ts',
  'test/interop*.test.ts',
  'test/lazy-deps.test.ts',
  'test/node-fetch.test.ts',
  'test/office.test.ts',
  'test/presentation-interop.test.ts',
  'test/register-processes.test.ts',
  'test/register-scale.test.ts',
  'test/serve-two-servers.test.ts',
  'test/security-signed-form-property.test.ts',
  'test/web/plain-words-page.test.ts',
];

export default defineConfig(({ mode }) => ({
  resolve: {
    // Examples import the package by name, as users do; tests run them against the sources.
    alias: [
      { find: /^microcredentials\/node$/, replacement: fileURLToPath(new URL('./src/node/index.ts', import.meta.url)) },
      { find: /^microcredentials\/europass$/, replacement: fileURLToPath(new URL('./src/europass/index.ts', import.meta.url)) },
      { find: /^microcredentials\/(proof|jsonld|status|model)$/, replacement: fileURLToPath(new URL('./src/entries/$1.ts', import.meta.url)) },
      { find: /^microcredentials$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: mode === 'quick' ? ['**/node_modules/**', ...SLOW] : ['**/node_modules/**'],
    // A limit catches a hang, not a slow machine: on a loaded 2-core machine a dozen tests that use the default took
    // 20-64 s (the ajv mutation comparison timed out once; merge-nodes' 3,000 documents), so the default is 3 minutes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The CLI processes tests start write their compile cache under a temporary XDG_CACHE_HOME, not the real home.
    globalSetup: ['test/helpers/cache-home.ts'],
    typecheck: {
      enabled: mode !== 'quick',
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
}));
