/**
 * The library in Chromium beside Node, in one run: first verify after the page loaded, warm verify and issue, for
 * the seed credential and the large one (bench/fixtures.ts), and which Ed25519 / SHA-256 paths the page took.
 *
 *   npm run bench:browser               # 9 fresh pages per credential, warm figures as medians of 9 rounds
 *   npm run bench:browser -- --quick    # 2 of each, for CI (so it cannot rot; figures not meaningful)
 *
 * The page is bench/browser/entry.ts bundled as the verifier page is (Vite, production build, code splitting): it
 * imports `verify` only, and loads issuing on demand. It is served from 127.0.0.1 with a CSP that forbids eval and
 * every connection, in Debian's Chromium with network features off. "First verify" is a fresh page (new browser
 * context, empty cache): after its load event, one verify of a credential signed in Node, timed in the page; the
 * page's load (navigation start to the load event's end) is reported beside it and added to it, since the V8 compile
 * hints the page is built with (web/compile-hints.mjs) move compiling from the first verify into loading. Node's
 * figures are measured in this process between the browser's rounds, so both sides see the same machine load.
 * "Warm verify" is a fresh page's verifies 31-60 against Node's in this process, which has run hundreds by then: a
 * JIT still warming up against one done (bench/browser-warm.ts --series shows both curves). So two rows compare them
 * equally warm, Node in a fresh process (bench/browser/node-series.ts) running the same batches: verifies 31-60, and
 * the steady state after 360.
 * Also reports the script a fresh page's first verify loaded, and the verify-only bundle (scripts/verify-bundle-size).
 * Writes bench/results-browser.json (bench/results-browser-quick.json with --quick).
 */
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { generateKey, issue, verify } from '../src/index';
import { launchChromium } from '../test/helpers/browser';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { freshNodeSeries } from './browser/fresh-node';
import { serveVerifyPage } from './browser/serve-page';
import { summarize } from './stats';
import { measureVerifyBundle } from '../scripts/verify-bundle-size.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const ROUNDS = values.quick ? 2 : 9;
const WARM = values.quick ? 3 : 30;
// Verifies after which a page's JIT has finished warming up (its ms per verify stops falling: bench/browser-warm.ts
// --series); the "steady" rows time this many more.
const STEADY = values.quick ? 6 : 300;

const key = generateKey();
const issuer = benchIssuer(key.controller);
const credentials = { seed: seedCredential(issuer), large: largeCredential(issuer) };
const signed = {
  seed: await issue(credentials.seed, { key }),
  large: await issue(credentials.large, { key }),
};

// The page: verify-only entry plus its lazily loaded chunks, built as the verifier page is, served from memory.
const { url, files, close: closeServer } = await serveVerifyPage('.');
const browser = await launchChromium();

async function freshPage(): Promise<{ page: Page; requested: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction('window.mc?.ready === true', undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`page did not load: ${errors.join('; ')}`);
  });
  return { page, requested, close: () => context.close() };
}

async function nodeMs(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

type Sizes = 'seed' | 'large';
const samples: Record<string, number[]> = {};
const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
let paths: unknown;
const firstVerifyRequests = new Set<string>();

// Node warmed up as the page is: a batch before the rounds.
for (const size of ['seed', 'large'] as Sizes[]) {
  await nodeMs(() => verify(signed[size]), WARM);
  await nodeMs(() => issue(credentials[size], { key }), WARM);
}

try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of ['seed', 'large'] as Sizes[]) {
      const { page, requested, close } = await freshPage();
      try {
        const firstVerify = await page.evaluate((c) => window.mc.timeVerify(c), signed[size] as object);
        // What loading the page cost (navigation start to the load event's end): compiling at load rather than at
        // first use moves time here, so the first verify is reported beside it and added to it.
        const load = await page.evaluate(
          () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
        );
        add(`browser ${size} first verify`, firstVerify);
        add(`browser ${size} load`, load);
        add(`browser ${size} load + first verify`, load + firstVerify);
        if (size === 'seed') for (const r of requested) firstVerifyRequests.add(r);
        // The first batch warms the page's JIT up; the second is timed.
        const verifies = () => page.evaluate(([c, n]) => window.mc.timeVerifies(c, n), [signed[size], WARM] as const);
        await verifies();
        add(`browser ${size} warm verify`, await verifies());
        const issues = () =>
          page.evaluate(([c, k, n]) => window.mc.timeIssues(c, k, n), [
            credentials[size],
            key.exportSecretKeyMultibase(),
            WARM,
          ] as const);
        await issues();
        add(`browser ${size} issue`, await issues());
        paths = await page.evaluate(() => window.mc.paths());
        // Steady state: the page's JIT done warming up (it has run 2 × WARM + STEADY verifies and the issues).
        await page.evaluate(([c, n]) => window.mc.timeVerifies(c, n), [signed[size], STEADY] as const);
        add(
          `browser ${size} steady verify`,
          await page.evaluate(([c, n]) => window.mc.timeVerifies(c, n), [signed[size], STEADY] as const),
        );
      } finally {
        await close();
      }
      // Chromium tears the page's processes down after close(): let that finish before Node is timed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await nodeMs(() => verify(signed[size]), WARM);
      add(`node ${size} warm verify`, await nodeMs(() => verify(signed[size]), WARM));
      add(`node ${size} issue`, await nodeMs(() => issue(credentials[size], { key }), WARM));
      // Node as cold as the page: a fresh process, the same batches of verifies (without the page's issues).
      const fresh = freshNodeSeries(signed[size], [WARM, WARM, STEADY, STEADY]);
      add(`fresh node ${size} warm verify`, fresh[1]!);
      add(`fresh node ${size} steady verify`, fresh[3]!);
    }
  }
} finally {
  await browser.close();
  closeServer();
}

const med = (name: string) => summarize(samples[name]!).median;
const gz = (bytes: Uint8Array) => zlib.gzipSync(bytes, { level: 9 }).length;
const firstVerifyBytes = [...firstVerifyRequests]
  .filter((p) => files.has(p))
  .reduce((n, p) => n + gz(files.get(p)!), 0);
const rows = (['seed', 'large'] as Sizes[]).flatMap((size) => [
  {
    operation: `${size} first verify after load`,
    browser: med(`browser ${size} first verify`),
    node: undefined as number | undefined,
  },
  { operation: `${size} page load (navigation to load event)`, browser: med(`browser ${size} load`), node: undefined },
  {
    operation: `${size} page load + first verify`,
    browser: med(`browser ${size} load + first verify`),
    node: undefined,
  },
  {
    operation: `${size} warm verify`,
    browser: med(`browser ${size} warm verify`),
    node: med(`node ${size} warm verify`),
  },
  {
    operation: `${size} warm verify, Node as cold (fresh process, verifies ${WARM + 1}-${2 * WARM})`,
    browser: med(`browser ${size} warm verify`),
    node: med(`fresh node ${size} warm verify`),
  },
  {
    operation: `${size} steady verify (after ${2 * WARM + STEADY} verifies; Node likewise, fresh process)`,
    browser: med(`browser ${size} steady verify`),
    node: med(`fresh node ${size} steady verify`),
  },
  { operation: `${size} issue`, browser: med(`browser ${size} issue`), node: med(`node ${size} issue`) },
]);
const results = {
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, ${browser.version?.() ?? ''}`,
  quick: Boolean(values.quick),
  rounds: ROUNDS,
  warmIterations: WARM,
  rows: rows.map((r) => ({ ...r, ratio: r.node ? r.browser / r.node : undefined })),
  samples,
  paths,
  firstVerifyLoadedKbGzipped: firstVerifyBytes / 1024,
  verifyOnlyBundleKbGzipped: (await measureVerifyBundle()).kb,
  firstVerifyLoaded: [...firstVerifyRequests].sort(),
};
fs.writeFileSync(
  new URL(values.quick ? './results-browser-quick.json' : './results-browser.json', import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
);

console.log(
  `Chromium vs Node, same run (${results.machine}); medians of ${ROUNDS} rounds, warm = ${WARM} ops per round`,
);
console.log('| operation | Chromium ms/op | Node ms/op | Chromium ÷ Node |');
console.log('|---|---:|---:|---:|');
for (const r of results.rows)
  console.log(
    `| ${r.operation} | ${r.browser.toFixed(2)} | ${r.node?.toFixed(3) ?? '—'} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : '—'} |`,
  );
console.log(`paths taken in the page: ${JSON.stringify(paths)}`);
console.log(
  `a fresh page's first verify loaded ${results.firstVerifyLoadedKbGzipped.toFixed(1)} KB of script gzipped (${results.firstVerifyLoaded.join(', ')})`,
);
console.log(
  `verify-only bundle (scripts/verify-bundle-size.mjs): ${results.verifyOnlyBundleKbGzipped.toFixed(1)} KB gzipped`,
);
console.log(
  'targets: warm verify (seed) ≤ 2× Node; first verify after load (seed) ≤ 60 ms; verify-only bundle ≤ 100 KB',
);
