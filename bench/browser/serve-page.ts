/**
 * The benchmarks' verify-only page: a checkout's `bench/browser/entry.ts` and its lazily loaded chunks, built as the
 * verifier page is (Vite, production, with that checkout's V8 compile-hints plugin where it has one), served from
 * memory on 127.0.0.1 under a CSP that forbids eval and every connection. `files` are the served scripts by path.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'vite';

export async function serveVerifyPage(
  checkout: string,
  options: { minify?: boolean } = {},
): Promise<{ url: string; files: ReadonlyMap<string, Uint8Array>; close: () => void }> {
  const hints = path.resolve(checkout, 'web/compile-hints.mjs');
  const plugins = fs.existsSync(hints) ? [(await import(hints)).compileHints()] : [];
  const built = await build({
    plugins,
    configFile: false,
    logLevel: 'silent',
    base: '/',
    root: path.resolve(checkout),
    build: {
      write: false,
      target: 'es2022',
      minify: options.minify ?? true,
      rollupOptions: { input: path.resolve(checkout, 'bench/browser/entry.ts'), output: { format: 'es' } },
    },
  });
  const chunks = (Array.isArray(built) ? built : [built as { output: unknown[] }])
    .flatMap((o) => (o as { output: { type: string; fileName: string; code?: string; isEntry?: boolean }[] }).output)
    .filter((c) => c.type === 'chunk');
  const files = new Map(chunks.map((c) => [`/${c.fileName}`, new TextEncoder().encode(c.code)]));
  const entryFile = chunks.find((c) => c.isEntry)!.fileName;
  const html = `<!doctype html><meta charset="utf-8"><script type="module" src="/${entryFile}"></script>`;
  const server = http.createServer((req, res) => {
    const csp = "default-src 'none'; script-src 'self'; connect-src 'none'";
    const body = files.get(req.url ?? '');
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(html);
    else if (body) res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    files,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
