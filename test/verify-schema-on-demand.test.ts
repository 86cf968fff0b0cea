import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { generateKey, issue, verify } from '../src';
import { validate, type ValidationResult } from '../src/schema/validate';
import { schemaVerdict, strictlyValidSchema } from '../src/schema/strictly-valid';
import { toIssues } from '../src/schema/issues';
import type { MicrocredError } from '../src/errors';
import { benchIssuer, largeCredential, seedCredential } from '../bench/fixtures';
import { fixtureObjects } from './helpers/fixtures';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';
import { throwAtRead } from './helpers/throwing-read';

/**
 * The schema step answers a credential that is valid as it is written with the generated validator alone
 * (`strictlyValidSchema`), and loads `validate` (its error texts and the lenient reading) only for the others. Both
 * must say what `validate` says: `strictlyValidSchema` is held to `validate` itself, and every report to the report of
 * a verification in which `strictlyValidSchema` never answers (so that every credential goes through `validate`, as
 * the step did before), check for check.
 */

let quick = true;
// Not quick: the verdict comes from `validate` itself, strict then lenient, and the words of a failure from its errors,
// as the step asked for them before (the issues module is told to hand those words back as they are).
const FROM_VALIDATE = Symbol('issues from validate');
vi.mock('../src/schema/strictly-valid', async (original) => {
  const module = await original<typeof import('../src/schema/strictly-valid')>();
  return {
    ...module,
    schemaVerdict: (credential: unknown) => {
      if (quick) return module.schemaVerdict(credential);
      const strict = validate(credential);
      if (strict.valid) return { valid: true, schema: strict.schema, lenient: false };
      const lenient = validate(credential, { lenient: true });
      if (lenient.valid) return { valid: true, schema: lenient.schema, lenient: true };
      return { valid: false, schema: lenient.schema, data: { [FROM_VALIDATE]: lenient.errors }, errors: [] };
    },
  };
});
vi.mock('../src/schema/issues', async (original) => {
  const module = await original<typeof import('../src/schema/issues')>();
  return {
    ...module,
    toIssues: (...args: Parameters<typeof module.toIssues>) => {
      const data = args[1] as { [FROM_VALIDATE]?: ReturnType<typeof module.toIssues> } | undefined;
      return data?.[FROM_VALIDATE] ?? module.toIssues(...args);
    },
  };
});

type Doc = Record<string, unknown>;
const now = new Date(Date.now() + 60_000);
const key = generateKey();

/** strictlyValidSchema and schemaVerdict say what validate says (or throw what it throws). */
function expectSameAnswer(doc: unknown, label: string): void {
  let strict: ValidationResult;
  try {
    strict = validate(doc);
  } catch (e) {
    const thrown = expect.objectContaining({
      code: (e as MicrocredError).code,
      message: (e as MicrocredError).message,
      path: '$',
    });
    expect(() => strictlyValidSchema(doc), label).toThrow(thrown);
    expect(() => schemaVerdict(doc), label).toThrow(thrown);
    return;
  }
  expect(strictlyValidSchema(doc), label).toBe(strict.valid ? strict.schema : undefined);
  if (strict.valid) {
    expect(schemaVerdict(doc), label).toEqual({ valid: true, schema: strict.schema, lenient: false });
    return;
  }
  const lenient = validate(doc, { lenient: true });
  const verdict = schemaVerdict(doc);
  if (lenient.valid) {
    expect(verdict, label).toEqual({ valid: true, schema: lenient.schema, lenient: true });
    return;
  }
  expect(verdict.valid, label).toBe(false);
  if (verdict.valid) return;
  expect(verdict.schema, label).toBe(lenient.schema);
  expect(
    toIssues(verdict.errors, verdict.data, { eu: verdict.schema === 'eu-microcredential', lenient: true }),
  ).toEqual(lenient.errors);
}

let answeredQuickly = 0;
let compared = 0;
async function expectSameReport(doc: Doc, label: string): Promise<void> {
  compared++;
  expectSameAnswer(doc, label);
  quick = true;
  const fast = await verify(doc, { now });
  if (fast.checks.some((c) => c.check === 'schema' && c.status === 'pass')) answeredQuickly++;
  quick = false;
  const full = await verify(doc, { now });
  quick = true;
  expect(fast, label).toEqual(full);
  expect(
    fast.checks.map((c) => [c.check, c.status, c.code, c.path, c.message]),
    label,
  ).toEqual(full.checks.map((c) => [c.check, c.status, c.code, c.path, c.message]));
}

/** Every place in a document: the path of keys to it. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => places((value as Doc)[k as string], [...at, k]))];
}
const REPLACEMENTS: unknown[] = [undefined, null, 5, 'x', '', [], {}, [5], [{}], { type: 5 }, true];

/** A copy of `doc` with one place replaced (undefined: deleted), or a single-item array written as its item. */
function mutated(doc: Doc, place: (string | number)[], replacement: unknown, unwrap: boolean): Doc {
  const copy = structuredClone(doc);
  if (place.length === 0) return copy;
  let parent: Doc = copy;
  for (const k of place.slice(0, -1)) parent = parent[k as string] as Doc;
  const last = place.at(-1)! as string;
  const value = parent[last];
  if (unwrap) {
    // JSON-LD compacted form: a one-element set as a bare value (the lenient reading accepts some of these).
    if (Array.isArray(value) && value.length === 1) parent[last] = value[0];
  } else if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = structuredClone(replacement);
  return copy;
}

describe('schema step: valid credentials answered without loading validate, with the report validate gives', () => {
  it('on every fixture object, and the seed and large credentials unsigned and signed two ways', async () => {
    for (const [i, doc] of fixtureObjects().entries()) await expectSameReport(doc, `fixture ${i}`);
    for (const credential of [
      seedCredential(benchIssuer(key.controller)),
      largeCredential(benchIssuer(key.controller)),
    ]) {
      await expectSameReport(credential as unknown as Doc, 'unsigned');
      for (const format of ['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)
        await expectSameReport((await issue(credential, { key, format })) as unknown as Doc, format);
    }
    expect(answeredQuickly).toBeGreaterThan(10);
  });

  it('on every one-place mutation of the seed credential (replaced, deleted, a set written as one value)', async () => {
    const seed = (await issue(seedCredential(benchIssuer(key.controller)), {
      key,
      format: 'eddsa-jcs-2022',
    })) as unknown as Doc;
    // Unsigned: with the proof, every mutation fails it, and the schema's verdict matters less to the report.
    const { proof: _proof, ...unsigned } = seed;
    await expectSameReport(seed, 'signed');
    let seen = 0;
    const all = places(unsigned);
    for (const [i, place] of all.entries()) {
      const at = place.reduce<unknown>((value, k) => (value as Doc)[k as string], unsigned);
      if (Array.isArray(at) && at.length === 1)
        await expectSameReport(mutated(unsigned, place, undefined, true), `unwrap ${place.join('.')}`);
      // Every seventh place with every replacement, every other one with one (a few seconds in all).
      const replacements = i % 7 === 0 ? REPLACEMENTS : i % 2 === 0 ? [REPLACEMENTS[i % REPLACEMENTS.length]] : [];
      for (const replacement of replacements)
        await expectSameReport(mutated(unsigned, place, replacement, false), `${place.join('.')} = ${replacement}`);
      seen++;
    }
    expect(seen).toBeGreaterThan(200);
    expect(compared).toBeGreaterThan(250);
  }, 120_000);

  it('on generated micro-credentials', async () => {
    const issuer = benchIssuer(key.controller);
    await fc.assert(
      fc.asyncProperty(microCredentialInputs(fc.string({ maxLength: 30 })), async (inputs) => {
        const built = buildMicroCredential(inputs, issuer as never);
        if (built) await expectSameReport(built.credential as unknown as Doc, 'generated');
      }),
      { numRuns: 60 },
    );
  });

  it('on a credential no JSON document can be (it contains itself): validate throws, and the step reports it', async () => {
    const seed = seedCredential(benchIssuer(key.controller)) as unknown as Doc;
    // An issuer profile that is its own parent organisation: the validator recurses until the stack overflows.
    const issuer = { ...(seed.issuer as Doc) };
    issuer.parentOrg = issuer;
    const cyclic = { ...seed, issuer };
    expect(() => validate(cyclic)).toThrow();
    expect(() => strictlyValidSchema(cyclic)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: '$' }));
    await expectSameReport(cyclic, 'cyclic');
  });

  it("never runs the validator on a credential that throws when read (a caller's getter that throws once)", async () => {
    // A validator that threw must not be run again (a second read that succeeds would turn the refusal into a pass).
    // verify() reads a caller's object once, into plain data (src/shared/read-once.ts), so a getter
    // that throws does so at parse, and one that would throw later is never read again: the validator never meets it.
    const signed = (await issue(seedCredential(benchIssuer(key.controller)), {
      key,
      format: 'eddsa-rdfc-2022',
    })) as unknown as Doc;
    const plain = await verify(signed, { now });
    for (let failing = 1; failing <= 14; failing++) {
      const achievement = { ...((signed.credentialSubject as Doc).achievement as Doc) };
      const name = throwAtRead(achievement, 'name', failing);
      const doc = { ...signed, credentialSubject: { ...(signed.credentialSubject as Doc), achievement } };
      const report = await verify(doc, { now });
      expect(name.reads(), `read ${failing}`).toBe(1);
      if (failing === 1)
        expect(report.checks).toMatchObject([{ check: 'parse', status: 'fail', code: 'INVALID_INPUT' }]);
      else expect(report, `read ${failing}`).toEqual(plain);
    }
  });
});
