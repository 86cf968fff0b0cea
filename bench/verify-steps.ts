/**
 * What each step of a verify costs where it runs: the pipeline of src/verify/verify.ts (parse, signed form, contexts,
 * schema, proof, ..., the report and its verdict) run step by step on the seed credential signed with eddsa-jcs-2022
 * and eddsa-rdfc-2022, each step's process CPU time summed over many verifies, in units of one node:crypto Ed25519
 * verification timed in the same rounds (medians of rounds). A step timed alone, in a loop of its own, keeps the
 * document and its tables in the CPU caches and costs about half of what it does here (the walks in particular), so
 * these are the figures to weigh a change of one step against the whole verify. The pipeline is copied from
 * verify.ts; before timing, its report must equal `verify()`'s, so that a copy that drifted fails loudly.
 *
 *   node --import tsx bench/verify-steps.ts [--warm N] [--rounds N] [--per-round N]
 *
 * The warm-up matters: our verify runs much more code than the reference's, and after only a few hundred verifies
 * part of it is still being optimised (300 warm-up verifies: ~9.5 floors for a JCS verify; 3,000: ~6.2). Each
 * `process.cpuUsage()` call costs about 1 µs (~0.01 floors), counted in the step it closes.
 */
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { importKey, issue, verify } from '../src/index';
import { isMicrocredError } from '../src/errors';
import { withResolutionBudget } from '../src/verify/options';
import type { CheckName } from '../src/verify/report';
import { VerifyContext, type VerifyStep } from '../src/verify/steps/context';
import { parseStep } from '../src/verify/steps/parse';
import { signedFormStep } from '../src/verify/steps/signed-form';
import { contextsStep, contextsVerdictStep, dropContextsVerdict } from '../src/verify/steps/contexts';
import { schemaStep } from '../src/verify/steps/schema';
import { proofStep } from '../src/verify/steps/proof';
import { validityStep } from '../src/verify/steps/validity';
import { relatedResourceStep } from '../src/verify/steps/related-resource';
import { statusStep } from '../src/verify/steps/status';
import { finishProofsStep } from '../src/verify/steps/finish-proofs';
import { euElementsStep } from '../src/verify/steps/eu-elements';
import { europassStep } from '../src/verify/steps/europass';
import { consistencyStep } from '../src/verify/steps/consistency';
import { endorsementsStep } from '../src/verify/steps/endorsements';
import { issuerIdentityStep } from '../src/verify/steps/issuer-identity';
import { referenceIssuer } from './reference';
import { benchIssuer, seedCredential } from './fixtures';
import { summarize } from './stats';

const { values } = parseArgs({
  options: {
    warm: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '11' },
    'per-round': { type: 'string', default: '200' },
  },
});

type NamedStep = readonly [CheckName, string, VerifyStep];
// As in src/verify/verify.ts (READ, CHECKS, CONCLUDE); the report check below holds the copy to it.
const READ: readonly NamedStep[] = [
  ['parse', 'parse', parseStep],
  ['contexts', 'signed form (limits, size bound, walks, merge)', signedFormStep],
];
const CHECKS: readonly NamedStep[] = [
  ['contexts', 'contexts', contextsStep],
  ['schema', 'schema', schemaStep],
  ['proof', 'proof', proofStep],
  ['contexts', 'contexts verdict', contextsVerdictStep],
  ['validity', 'validity', validityStep],
  ['relatedResource', 'related resources', relatedResourceStep],
  ['status', 'status', statusStep],
  ['proof', 'finish proofs', finishProofsStep],
];
const CONCLUDE: readonly NamedStep[] = [
  ['proof', 'finish proofs', finishProofsStep],
  ['contexts', 'drop contexts verdict', dropContextsVerdict],
  ['issuerIdentity', 'issuer identity', issuerIdentityStep],
  ['euElements', 'EU elements', euElementsStep],
  ['seal', 'Europass seal', europassStep],
  ['consistency', 'consistency', consistencyStep],
  ['endorsements', 'endorsements', endorsementsStep],
];

/** CPU µs per step name, summed while `timing` is set. */
let timing: Map<string, number> | undefined;
function add(name: string, since: NodeJS.CpuUsage): void {
  if (!timing) return;
  const used = process.cpuUsage(since);
  timing.set(name, (timing.get(name) ?? 0) + used.user + used.system);
}

async function run(steps: readonly NamedStep[], ctx: VerifyContext, afterThrow: 'stop' | 'go on' = 'stop') {
  for (const [check, name, step] of steps) {
    const since = process.cpuUsage();
    try {
      const pending = step(ctx);
      if (pending) await pending;
    } catch (e) {
      const code = isMicrocredError(e) ? e.code : check === 'parse' ? 'INVALID_INPUT' : 'INTERNAL_ERROR';
      ctx.report.fail(check, code, `Verification stopped: ${(e as Error)?.message ?? String(e)}`);
      add(name, since);
      if (afterThrow === 'stop') return false;
      continue;
    }
    add(name, since);
    if (ctx.done) return false;
  }
  return true;
}

/** The pipeline of `verify()` for a credential object (no SD-JWT, no nested verifies). */
async function stepwiseVerify(input: unknown) {
  const ctx = new VerifyContext(input, withResolutionBudget({}), 0, false, () => {
    throw new Error('bench/verify-steps.ts: nested verification not covered');
  });
  if (!(await run(READ, ctx))) return ctx.done ?? ctx.unfinished();
  await run(CHECKS, ctx);
  await run(CONCLUDE, ctx, 'go on');
  const since = process.cpuUsage();
  const report = ctx.result();
  add('report and verdict', since);
  return report;
}

const ref = await referenceIssuer();
const key = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
const credential = seedCredential(benchIssuer(key.controller));
const signed = {
  'eddsa-jcs-2022': await issue(credential, { key, format: 'eddsa-jcs-2022' }),
  'eddsa-rdfc-2022': await issue(credential, { key, format: 'eddsa-rdfc-2022' }),
};
for (const [suite, document] of Object.entries(signed)) {
  const expected = await verify(document);
  const got = await stepwiseVerify(document);
  if (!expected.verified || !isDeepStrictEqual(got, expected))
    throw new Error(`${suite}: the copied pipeline no longer gives verify()'s report; update bench/verify-steps.ts`);
}

const data = new Uint8Array(64);
const signature = await key.sign(data);
for (let i = 0; i < Number(values.warm); i++)
  for (const document of Object.values(signed)) await stepwiseVerify(document);

const perRound = Number(values['per-round']);
for (const [suite, document] of Object.entries(signed)) {
  const steps: Record<string, number[]> = {};
  const wholes: number[] = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    timing = new Map();
    let since = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await stepwiseVerify(document);
    let used = process.cpuUsage(since);
    const whole = (used.user + used.system) / perRound;
    const stepTimes = timing;
    timing = undefined;
    since = process.cpuUsage();
    for (let i = 0; i < 4 * perRound; i++) await key.verify(data, signature);
    used = process.cpuUsage(since);
    const floor = (used.user + used.system) / (4 * perRound);
    wholes.push(whole / floor);
    for (const [name, total] of stepTimes) (steps[name] ??= []).push(total / perRound / floor);
  }
  console.log(`${suite} verify, seed credential: ${summarize(wholes).median.toFixed(2)} Ed25519 verifications`);
  const rows = Object.entries(steps).map(([name, xs]) => [name, summarize(xs).median] as const);
  for (const [name, median] of rows.sort((a, b) => b[1] - a[1]))
    if (median >= 0.005) console.log(`  ${name.padEnd(48)} ${median.toFixed(3)}`);
}
