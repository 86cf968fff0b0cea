/**
 * A/B of the browser's warm verify: two checkouts' verify-only pages (each checkout's bench/browser/entry.ts, built
 * as bench/browser.ts builds it) in one Chromium, alternating per round, with Node's warm verify of the same
 * credential timed in this process between them, so all three see the same machine load. Per round and side: a fresh
 * page, one batch of `--warm` verifies to warm its JIT up, then a timed batch (bench/browser.ts's "warm verify").
 * Reports each side's median, its ratio to Node's, and the median of the paired after ÷ before ratios. `--profile DIR`
 * records a CDP CPU profile of every "after" timed batch and prints where its samples went: "(idle)" is the page
 * waiting (WebCrypto's thread round trips), "(program)" native work outside JS, then the top self-time functions
 * (use `--no-minify` for names).
 *
 *   node --import tsx bench/browser-warm.ts [--before /work/main] [--rounds 9] [--warm 30] [--size seed|large]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKey, issue, verify } from '../src/index';
import { launchChromium } from '../test/helpers/browser';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { freshNodeSeries } from './browser/fresh-node';
import { serveVerifyPage } from './browser/serve-page';
import { summarize } from './stats';

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: '/work/main' },
    after: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '9' },
    warm: { type: 'string', default: '30' },
    size: { type: 'string', default: 'seed' },
    profile: { type: 'string' },
    'no-minify': { type: 'boolean' },
    // Also report, per verify of the timed batch, how long the page's WebCrypto calls took from call to settlement.
    hops: { type: 'boolean' },
    // Instead of the A/B: per side, the ms per verify of N successive batches in one page (how long warming takes).
    series: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const med = (xs: number[]) => summarize(xs).median;
const WARM = Number(values.warm);
const key = generateKey();
const issuer = benchIssuer(key.controller);
const signed = await issue(values.size === 'large' ? largeCredential(issuer) : seedCredential(issuer), { key });

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
const shares = new Map<string, number>();

function tally(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < profile.samples.length; i++) {
    const f = byId.get(profile.samples[i]!)!.callFrame;
    const name = f.url
      ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`
      : f.functionName;
    shares.set(name, (shares.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
}

const sides = {
  before: await serveVerifyPage(values.before!, { minify: !values['no-minify'] }),
  after: await serveVerifyPage(values.after!, { minify: !values['no-minify'] }),
};
const browser = await launchChromium();

async function warmVerify(side: 'before' | 'after', round: number): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (values.hops)
      await page.addInitScript(() => {
        const w = window as unknown as { hops: Record<string, [number, number]> };
        w.hops = {};
        for (const name of ['digest', 'verify', 'sign', 'importKey'] as const) {
          const original = SubtleCrypto.prototype[name] as (...a: unknown[]) => Promise<unknown>;
          (SubtleCrypto.prototype as unknown as Record<string, unknown>)[name] = function (
            this: SubtleCrypto,
            ...a: unknown[]
          ) {
            const t0 = performance.now();
            return original.apply(this, a).finally(() => {
              const h = (w.hops[name] ??= [0, 0]);
              h[0]++;
              h[1] += performance.now() - t0;
            });
          };
        }
      });
    await page.goto(sides[side].url, { waitUntil: 'load' });
    await page.waitForFunction('window.mc?.ready === true', undefined, { timeout: 30_000 });
    const batch = () => page.evaluate(([c, n]) => window.mc.timeVerifies(c, n), [signed as object, WARM] as const);
    await batch();
    const cdp = values.profile && side === 'after' ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    if (values.hops) await page.evaluate(() => ((window as unknown as { hops: object }).hops = {}));
    const ms = await batch();
    if (values.hops)
      console.log(
        `  ${side} WebCrypto per verify:`,
        JSON.stringify(
          await page.evaluate(
            (n) =>
              Object.fromEntries(
                Object.entries((window as unknown as { hops: Record<string, [number, number]> }).hops).map(
                  ([k, [c, t]]) => [k, `${(c / n).toFixed(1)} calls, ${((t / n) * 1000).toFixed(0)} µs`],
                ),
              ),
            WARM,
          ),
        ),
      );
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      fs.mkdirSync(values.profile!, { recursive: true });
      fs.writeFileSync(path.join(values.profile!, `warm-${round}.cpuprofile`), JSON.stringify(profile));
      tally(profile);
    }
    return ms;
  } finally {
    await context.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Node's ms per verify in each of `batches` successive batches, in a fresh process (as cold as a fresh page). */
function nodeSeries(batches: number): number[] {
  return freshNodeSeries(signed, Array<number>(batches).fill(WARM));
}

async function nodeWarm(): Promise<number> {
  for (let i = 0; i < WARM; i++) await verify(signed);
  const t0 = performance.now();
  for (let i = 0; i < WARM; i++) await verify(signed);
  return (performance.now() - t0) / WARM;
}

if (values.series) {
  // Per side, the median over rounds of each successive batch's ms per verify, a fresh page per round; Node's the
  // same way in a fresh process per round (bench/browser/node-series.ts), so all three start equally cold.
  const batches = Number(values.series);
  const runs: Record<'before' | 'after' | 'node', number[][]> = { before: [], after: [], node: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order: ('before' | 'after')[] = round % 2 ? ['after', 'before'] : ['before', 'after'];
      for (const side of order) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(sides[side].url, { waitUntil: 'load' });
        await page.waitForFunction('window.mc?.ready === true', undefined, { timeout: 30_000 });
        const series: number[] = [];
        for (let i = 0; i < batches; i++)
          series.push(await page.evaluate(([c, n]) => window.mc.timeVerifies(c, n), [signed as object, WARM] as const));
        await context.close();
        runs[side].push(series);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      runs.node.push(nodeSeries(batches));
    }
  } finally {
    await browser.close();
    sides.before.close();
    sides.after.close();
  }
  for (const side of ['before', 'after', 'node'] as const) {
    const medians = Array.from({ length: batches }, (_, i) => med(runs[side].map((r) => r[i]!)).toFixed(2));
    console.log(`${side.padEnd(6)} ms/verify per batch of ${WARM} (median of ${ROUNDS}): ${medians.join(' ')}`);
  }
  process.exit(0);
}

const got: Record<'before' | 'after' | 'node', number[]> = { before: [], after: [], node: [] };
const ratios: number[] = [];
try {
  await nodeWarm();
  for (let round = 0; round < ROUNDS; round++) {
    const order: ('before' | 'after')[] = round % 2 ? ['after', 'before'] : ['before', 'after'];
    const r: Partial<Record<'before' | 'after', number>> = {};
    for (const side of order) r[side] = await warmVerify(side, round);
    const node = await nodeWarm();
    got.before.push(r.before!);
    got.after.push(r.after!);
    got.node.push(node);
    ratios.push(r.after! / r.before!);
    console.log(
      `round ${round}: before ${r.before!.toFixed(3)} ms (${(r.before! / node).toFixed(2)}× Node), after ${r.after!.toFixed(3)} ms (${(r.after! / node).toFixed(2)}× Node), Node ${node.toFixed(3)} ms`,
    );
  }
} finally {
  await browser.close();
  sides.before.close();
  sides.after.close();
}
console.log(`${values.size} warm verify, ${ROUNDS} rounds alternating, ${WARM} verifies per timed batch:`);
console.log(
  `  before (${values.before}): ${med(got.before).toFixed(3)} ms, ${(med(got.before) / med(got.node)).toFixed(2)}× Node`,
);
console.log(
  `  after  (${values.after}): ${med(got.after).toFixed(3)} ms, ${(med(got.after) / med(got.node)).toFixed(2)}× Node`,
);
console.log(`  Node: ${med(got.node).toFixed(3)} ms`);
console.log(`  after ÷ before, median of paired rounds: ${med(ratios).toFixed(3)}`);
if (values.profile) {
  const total = [...shares.values()].reduce((a, b) => a + b, 0);
  console.log(`profiled ${total.toFixed(0)} ms of "after" warm batches; top self time:`);
  for (const [name, ms] of [...shares].sort((a, b) => b[1] - a[1]).slice(0, 45))
    console.log(
      `  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${((ms / ROUNDS / WARM) * 1000).toFixed(1).padStart(7)} µs/verify  ${name}`,
    );
}
