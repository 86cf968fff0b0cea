import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { compileHints } from './compile-hints.mjs';

/**
 * The verifier page: a static app built into dist-web/ (`npm run build:web`), relative asset URLs so any host can
 * serve it under any path.
 *
 * Mode `loopback-test` is for the browser tests only: its CSP also lets the page talk to http://127.0.0.1 (where the
 * tests serve status lists, DID documents and registries) and it honours the `allowPrivateNetwork` query flag. The
 * production build refuses both, so a link cannot turn an HR person's browser against their own network.
 */
export const TEST_MODE = 'loopback-test';

const root = fileURLToPath(new URL('.', import.meta.url));

function contentSecurityPolicy(mode: string): string {
  const connect = mode === TEST_MODE ? "https: http://127.0.0.1:*" : 'https:';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Writes the CSP into index.html's meta tag, so the policy travels with the files whatever the host sends. */
function cspMeta(mode: string): Plugin {
  return {
    name: 'microcredentials-csp',
    transformIndexHtml: (html) => html.replace('%CSP%', contentSecurityPolicy(mode)),
  };
}

export default defineConfig(({ mode }) => ({
  root,
  base: './',
  publicDir: false,
  // The shell paints first and compiles lazily; the verifier's chunks, fetched while the page is idle, compile in
  // the background as they stream in, so the first drop runs compiled code.
  plugins: [cspMeta(mode), compileHints({ include: (chunk) => !chunk.isEntry })],
  define: {
    __ALLOW_PRIVATE_NETWORK_FLAG__: JSON.stringify(mode === TEST_MODE),
  },
  resolve: {
    // The page uses the library as any app would: by its package name, resolved to the sources.
    alias: [
      { find: /^microcredentials\/(proof|jsonld|status|model)$/, replacement: fileURLToPath(new URL('../src/entries/$1.ts', import.meta.url)) },
      { find: /^microcredentials$/, replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL(mode === TEST_MODE ? '../dist-web-test' : '../dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The report of a failed build should name the file; the bundle size is checked by bench:web.
    chunkSizeWarningLimit: 1024,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
}));
