/**
 * The verifier page's benchmark: drop-to-verdict for the seed credential in Chromium, and the page's size.
 *
 *   npm run bench:web               # 15 cold and 15 warm drops of each input
 *   npm run bench:web -- --quick    # 3 of each, for CI (so it cannot rot)
 *
 * Builds the page for production (`vite build` → dist-web/), serves it from 127.0.0.1 and opens it in Debian's
 * Chromium. "Cold" is a freshly loaded page: the drop pays for loading the verifier chunk (the library, lazy) as an
 * HR person's first drop does. "Warm" is a second drop on the same page. A drop is timed in the page, from just
 * before the `drop` event is dispatched to the `mc:verdict` mark the page sets once the verdict is in the DOM.
 * Size: every file of dist-web/ gzipped (level 9), and what a first visit loads before any drop (the shell).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { bake, generateKey, issue } from '../src/index';
import { benchIssuer, seedCredential } from './fixtures';
import { badgePng } from '../test/web/fixtures';
import { buildPage, drop, launch, openPage, servePage, type DroppedFile } from '../test/web/harness';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const ROUNDS = values.quick ? 3 : 15;

const key = generateKey();
const signed = await issue(seedCredential(benchIssuer(key.controller)), { key });
const inputs: Record<string, DroppedFile> = {
  'seed JSON-LD (eddsa-rdfc-2022)': { name: 'seed.json', type: 'application/json', bytes: JSON.stringify(signed) },
  'seed baked PNG': { name: 'seed.png', type: 'image/png', bytes: bake(badgePng(), signed as never) as Uint8Array },
};

const folder = await buildPage('production');
const site = await servePage(folder);
const browser = await launch();

/** Drops and waits for the page's verdict mark; milliseconds in the page's own clock. */
async function timedDrop(page: Awaited<ReturnType<typeof openPage>>['page'], file: DroppedFile): Promise<number> {
  await page.evaluate(() => {
    performance.clearMarks('mc:verdict');
    (window as unknown as { t0: number }).t0 = performance.now();
  });
  await drop(page, [file]);
  await page.waitForFunction(() => performance.getEntriesByName('mc:verdict').length > 0, undefined, {
    polling: 'raf',
    timeout: 30_000,
  });
  return page.evaluate(
    () => performance.getEntriesByName('mc:verdict')[0]!.startTime - (window as unknown as { t0: number }).t0,
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const p90 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]!;
};

const rows: string[] = [];
try {
  for (const [what, file] of Object.entries(inputs)) {
    const cold: number[] = [];
    const first: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const immediate = await openPage(browser, site.url);
      cold.push(await timedDrop(immediate.page, file));
      await immediate.page.context().close();
      const opened = await openPage(browser, site.url);
      await opened.page.waitForTimeout(1000);
      first.push(await timedDrop(opened.page, file));
      warm.push(await timedDrop(opened.page, file));
      const outcome = await opened.page.locator('#result article').getAttribute('data-outcome');
      if (!outcome?.startsWith('authentic'))
        throw new Error(`${what}: the page's verdict is ${outcome}, not authentic`);
      await opened.page.context().close();
    }
    const cell = (xs: number[]) => `${median(xs).toFixed(0)} ms (p90 ${p90(xs).toFixed(0)})`;
    rows.push(`| ${what} | ${cell(first)} | ${cell(cold)} | ${cell(warm)} |`);
  }
} finally {
  await browser.close();
  await site.close();
}

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const files = fs
  .readdirSync(folder, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile())
  .map((d) => path.join(d.parentPath, d.name));
const total = files.reduce((sum, f) => sum + gz(f), 0);
const html = fs.readFileSync(path.join(folder, 'index.html'), 'utf8');
const shellFiles = ['index.html', ...[...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!)];
const shell = shellFiles.reduce((sum, f) => sum + gz(path.join(folder, f)), 0);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

console.log(`drop-to-verdict in Chromium (${ROUNDS} rounds, median):`);
console.log('| input | first drop, 1 s after the page opened | first drop the moment the page opened | second drop |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(
  `\nbundle, gzipped: ${kb(total)} in all (${files.length} files); first visit before any drop: ${kb(shell)} (${shellFiles.join(', ')})`,
);
console.log('targets: drop-to-verdict ≤ 150 ms, bundle ≤ 250 KB gzipped');
