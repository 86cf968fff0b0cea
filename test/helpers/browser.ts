import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/** Debian's Chromium, headless, with its network features off (no background requests, updates or sync). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Bundles a browser entry exactly as a web app's bundler would (platform browser: `browser` fields, no Node built-ins). */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    alias: { microcredentials: './src/index.ts' },
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the bundle from loopback only, with a CSP that forbids eval and any connection, and opens it in
 * headless Chromium with network features off. Every request the page makes is recorded. `query` (e.g. `?flag`) is
 * appended to the page's URL, for an entry that reads it.
 */
export async function openInChromium(
  script: string,
  query = '',
): Promise<{
  browser: Browser;
  url: string;
  requests: string[];
  evaluate: <T>(fn: string) => Promise<T>;
  close: () => Promise<void>;
}> {
  const html = `<!doctype html><meta charset="utf-8"><script type="module" src="/app.js"></script>`;
  const server = http.createServer((req, res) => {
    const csp = "default-src 'none'; script-src 'self'; connect-src 'none'";
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/') res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(html);
    else if (pathname === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = `http://127.0.0.1:${port}/`;
  await page.goto(url + query);
  await page
    .waitForFunction('typeof (window.runChecks ?? window.runNativeChecks) === "function"', undefined, {
      timeout: 30_000,
    })
    .catch(() => {
      throw new Error(`page did not load: ${errors.join('; ')}`);
    });
  return {
    browser,
    url,
    requests,
    evaluate: <T>(fn: string) => page.evaluate(fn) as Promise<T>,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
