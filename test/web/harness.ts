/**
 * Builds the verifier page, serves it from 127.0.0.1 and opens it in Debian's Chromium; a second loopback server
 * plays "the internet" (status lists, registries), with CORS as a real host would send. Used by the browser tests and
 * by bench/web.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');

/** Builds the page with `vite build` in the given mode; returns the output folder. */
export async function buildPage(mode: 'production' | 'loopback-test'): Promise<string> {
  await build({ configFile: path.join(ROOT, 'web/vite.config.ts'), mode, logLevel: 'silent' });
  return path.join(ROOT, mode === 'production' ? 'dist-web' : 'dist-web-test');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Served {
  url: string;
  close: () => Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Serves a built page folder (files only, no listing, nothing outside it). */
export async function servePage(folder: string): Promise<Served> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(folder, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(folder + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
      .end(fs.readFileSync(file));
  });
  return { url: `${await listen(server)}/`, close: closer(server) };
}

export interface Network extends Served {
  /** Serves `body` as JSON at `pathname` from now on. */
  route: (pathname: string, body: unknown, contentType?: string) => void;
  /** Paths asked for, in order. */
  asked: string[];
}

/** The hosts a credential or a setting names, on loopback: JSON documents with CORS, as a status list host sends them. */
export async function serveNetwork(): Promise<Network> {
  const routes = new Map<string, { body: string; type: string }>();
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    asked.push(pathname);
    const route = routes.get(pathname);
    const cors = { 'access-control-allow-origin': '*' };
    if (!route) return void res.writeHead(404, cors).end();
    res.writeHead(200, { ...cors, 'content-type': route.type }).end(route.body);
  });
  const url = await listen(server);
  return {
    url,
    asked,
    route: (pathname, body, contentType = 'application/json') =>
      routes.set(pathname, { body: typeof body === 'string' ? body : JSON.stringify(body), type: contentType }),
    close: closer(server),
  };
}

export async function launch(): Promise<Browser> {
  return launchChromium();
}

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for (playwright's record, not the page's own list). */
  requests: string[];
  /** Content Security Policy violations and uncaught errors the page reported. */
  problems: string[];
}

/** Opens the page at `query` in a fresh context (no storage shared between cases). */
export async function openPage(
  browser: Browser,
  base: string,
  query = '',
  viewport = { width: 1280, height: 900 },
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`error: ${String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${base}${query}`);
  await page.waitForSelector('mc-verifier h1');
  return { page, requests, problems };
}

export interface DroppedFile {
  name: string;
  type: string;
  bytes: Uint8Array | string;
}

/** Drops files on the page as a user's drag and drop does (a DataTransfer on a `drop` event). */
export async function drop(page: Page, files: readonly DroppedFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, base64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const transfer = new DataTransfer();
    for (const item of items)
      transfer.items.add(
        new File([Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0))], item.name, { type: item.type }),
      );
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, payload);
}

/** The result once it is shown: the first headline and its card's outcome. */
export async function verdictOn(page: Page): Promise<{ headline: string; outcome: string | null }> {
  const headline = page.locator('[data-testid=headline]').first();
  await headline.waitFor({ timeout: 30_000 });
  const card = page.locator('#result article[data-outcome], #result .group[data-outcome]').first();
  return { headline: await textOf(headline), outcome: await card.getAttribute('data-outcome') };
}

/** An element's text as a reader sees it: whitespace collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The addresses the page lists under "Network requests". */
export async function listedRequests(page: Page): Promise<string[]> {
  return page.locator('[data-testid=requests] li').allInnerTexts();
}
