/**
 * A/B of the browser's first verify after load: two checkouts' verify-only pages (each checkout's
 * bench/browser/entry.ts, built as bench/browser.ts builds it) opened in fresh contexts alternately, order
 * alternating per round, in one Chromium, so both see the same machine load. Reports each side's median and the
 * median of the paired after ÷ before ratios; `--profile DIR` also records a CDP CPU profile of every "after" first
 * verify and prints where its samples went (idle, GC, compiling, and the top self-time functions).
 *
 *   node --import tsx bench/browser-ab.ts [--before /work/main] [--rounds 15] [--size seed|large] [--profile /tmp/p]
 *
 * "First verify" is exactly bench/browser.ts's: after the load event, one verify of a credential signed in Node,
 * timed in the page; the load-to-verdict time (from navigation start to the verdict) is reported beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKey, issue } from '../src/index';
import { launchChromium } from '../test/helpers/browser';
import { benchIssuer, largeCredential, seedCredential } from './fixtures';
import { variedCredentials } from './varied';
import { serveVerifyPage } from './browser/serve-page';
import { summarize } from './stats';

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: '/work/main' },
    after: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '15' },
    size: { type: 'string', default: 'seed' },
    profile: { type: 'string' },
    // Unminified pages, so a profile names functions (slower than what ships; for profiles only).
    'no-minify': { type: 'boolean' },
    // Also time, after the first verify and 30 warm-up verifies of it, one verify each of N varied credentials
    // (bench/varied.ts): warm code, but texts no memo has seen.
    'warm-varied': { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const key = generateKey();
const issuer = benchIssuer(key.controller);
const signed = await issue(values.size === 'large' ? largeCredential(issuer) : seedCredential(issuer), { key });
const variedCount = Number(values['warm-varied'] ?? 0);
const varied =
  variedCount > 0 ? await Promise.all(variedCredentials(issuer, variedCount).map((c) => issue(c, { key }))) : [];

const sides = {
  before: await serveVerifyPage(values.before!, { minify: !values['no-minify'] }),
  after: await serveVerifyPage(values.after!, { minify: !values['no-minify'] }),
};
const browser = await launchChromium();

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
const shares = new Map<string, number>();
let profiledMs = 0;

function tally(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]!)!;
    const f = n.callFrame;
    const name = f.url
      ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber}`
      : f.functionName;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    shares.set(name, (shares.get(name) ?? 0) + dt);
  }
  profiledMs += (profile.endTime - profile.startTime) / 1000;
}

async function firstVerify(
  side: 'before' | 'after',
  round: number,
): Promise<{ verify: number; load: number; warmVaried: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(sides[side].url, { waitUntil: 'load' });
    await page.waitForFunction('window.mc?.ready === true', undefined, { timeout: 30_000 });
    const cdp = values.profile && side === 'after' ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const verify = await page.evaluate((c) => window.mc.timeVerify(c), signed as object);
    // Navigation start to the load event: a bundle that moves work into loading pays for it here.
    const load = await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
    );
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      fs.mkdirSync(values.profile!, { recursive: true });
      fs.writeFileSync(path.join(values.profile!, `first-verify-${round}.cpuprofile`), JSON.stringify(profile));
      tally(profile);
    }
    let warmVaried = 0;
    if (varied.length > 0) {
      await page.evaluate((c) => window.mc.timeVerifies(c, 30), signed as object);
      warmVaried = await page.evaluate(async (cs) => {
        const t0 = performance.now();
        for (const c of cs) await window.mc.timeVerify(c);
        return (performance.now() - t0) / cs.length;
      }, varied as object[]);
    }
    return { verify, load, warmVaried };
  } finally {
    await context.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
const loads: Record<'before' | 'after', number[]> = { before: [], after: [] };
const warm: Record<'before' | 'after', number[]> = { before: [], after: [] };
const warmRatios: number[] = [];
const ratios: number[] = [];
const totalRatios: number[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order: ('before' | 'after')[] = round % 2 ? ['after', 'before'] : ['before', 'after'];
    type Got = { verify: number; load: number; warmVaried: number };
    const got: Partial<Record<'before' | 'after', Got>> = {};
    for (const side of order) got[side] = await firstVerify(side, round);
    const { before, after } = got as Record<'before' | 'after', Got>;
    warm.before.push(before.warmVaried);
    warm.after.push(after.warmVaried);
    warmRatios.push(after.warmVaried / before.warmVaried);
    times.before.push(before.verify);
    times.after.push(after.verify);
    loads.before.push(before.load);
    loads.after.push(after.load);
    ratios.push(after.verify / before.verify);
    totalRatios.push((after.load + after.verify) / (before.load + before.verify));
    console.log(
      `round ${round}: before ${before.verify.toFixed(1)} ms (load ${before.load.toFixed(1)}), after ${after.verify.toFixed(1)} ms (load ${after.load.toFixed(1)})`,
    );
  }
} finally {
  await browser.close();
  sides.before.close();
  sides.after.close();
}
const m = (xs: number[]) => summarize(xs);
const f = (s: { median: number; p25: number; p75: number }) =>
  `${s.median.toFixed(1)} (p25 ${s.p25.toFixed(1)}, p75 ${s.p75.toFixed(1)})`;
console.log(`${values.size} first verify after load, ${ROUNDS} rounds alternating:`);
console.log(`  before (${values.before}): ${f(m(times.before))} ms`);
console.log(`  after  (${values.after}): ${f(m(times.after))} ms`);
console.log(`  after ÷ before, median of paired rounds: ${m(ratios).median.toFixed(3)}`);
console.log(`  navigation start to load event: before ${f(m(loads.before))} ms, after ${f(m(loads.after))} ms`);
console.log(`  load + first verify, after ÷ before, median of paired rounds: ${m(totalRatios).median.toFixed(3)}`);
if (varied.length > 0) {
  console.log(
    `  warm verify of ${varied.length} varied credentials, ms each: before ${f(m(warm.before))}, after ${f(m(warm.after))}`,
  );
  console.log(`  warm varied, after ÷ before, median of paired rounds: ${m(warmRatios).median.toFixed(3)}`);
}
if (values.profile) {
  const total = [...shares.values()].reduce((a, b) => a + b, 0);
  console.log(`profiled ${profiledMs.toFixed(0)} ms over ${ROUNDS} "after" first verifies; top self time:`);
  for (const [name, ms] of [...shares].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(
      `  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${(ms / ROUNDS).toFixed(2).padStart(6)} ms  ${name}`,
    );
}
