import { beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { generateKey, issue, verify } from '../src';
import { benchIssuer, seedCredential } from '../bench/fixtures';
import { formTestBases, mutate, mutation } from './helpers/form-rewrites';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';
import { throwAtRead } from './helpers/throwing-read';

/**
 * `verify` of a credential whose safe mode is not proven by an RDFC proof (eddsa-jcs-2022, VC-JWT, no proof) shows
 * its compacted form and its safe mode in one walk (`compactedAndSafe` in the signed-form step), and the contexts
 * step then does not walk it again when the merge of node copies changed nothing. The report must be exactly the
 * report of the two separate walks: here `compactedAndSafe` is switched off for the second verification of each
 * document, and both reports compared whole (checks, codes, paths, messages, order).
 */

let oneWalk = true;
let answered = 0;
vi.mock('../src/jsonld/compacted-and-safe', async (original) => {
  const module = await original<typeof import('../src/jsonld/compacted-and-safe')>();
  return {
    ...module,
    compactedAndSafe: async (...args: Parameters<typeof module.compactedAndSafe>) => {
      if (!oneWalk) return false;
      const both = await module.compactedAndSafe(...args);
      if (both) answered++;
      return both;
    },
  };
});

type Doc = Record<string, unknown>;
// After the proofs these tests make (created now), within every fixture's validity the fixtures' own tests use.
const now = new Date(Date.now() + 60_000);

/** Verifies with and without the one walk; returns whether the one walk answered. */
async function expectSameReport(input: object | string, label: string): Promise<boolean> {
  oneWalk = true;
  const before = answered;
  const fused = await verify(input, { now });
  const walkedOnce = answered > before;
  oneWalk = false;
  const separate = await verify(input, { now });
  oneWalk = true;
  expect(fused, label).toEqual(separate);
  expect(
    fused.checks.map((c) => [c.check, c.status, c.code, c.path, c.message]),
    label,
  ).toEqual(separate.checks.map((c) => [c.check, c.status, c.code, c.path, c.message]));
  return walkedOnce;
}

const bases: { label: string; doc: Doc }[] = [];
const key = generateKey();
const signedSeedJcs = async (): Promise<Doc> =>
  (await issue(seedCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' })) as unknown as Doc;

beforeAll(async () => {
  bases.push(...(await formTestBases({ alsoWithoutProof: true })));
});

describe('verify: one walk for the compacted form and safe mode gives the report of the two walks', () => {
  it('on every fixture (with and without its proofs), the seed and large credentials, signed three ways', async () => {
    const seed = seedCredential(benchIssuer(key.controller));
    for (const format of ['eddsa-jcs-2022', 'vc-jwt'] as const) {
      const signed = await issue(seed, { key, format });
      expect(await expectSameReport(signed as object, format), format).toBe(true);
    }
    // An RDFC proof shows safe mode while canonicalizing: the signed-form step does not try the one walk.
    expect(await expectSameReport((await issue(seed, { key, format: 'eddsa-rdfc-2022' })) as object, 'rdfc')).toBe(
      false,
    );
    let walkedOnce = 0;
    for (const { label, doc } of bases) if (await expectSameReport(doc, label)) walkedOnce++;
    // The one walk answers for JCS-signed credentials (their proof repeats the top-level contexts) and unsigned ones.
    expect(walkedOnce).toBeGreaterThan(40);
  });

  it('answers for a JCS-signed seed credential, whose proof carries a copy of the contexts', async () => {
    const signed = await signedSeedJcs();
    expect((signed.proof as Doc[])[0]!['@context']).toEqual(signed['@context']);
    const before = answered;
    const report = await verify(signed, { now });
    expect(report.verified, JSON.stringify(report.checks)).toBe(true);
    expect(answered - before).toBe(1);
  });

  it('on generated micro-credentials signed with eddsa-jcs-2022', async () => {
    const issuer = benchIssuer(key.controller);
    let walkedOnce = 0;
    let built = 0;
    await fc.assert(
      fc.asyncProperty(microCredentialInputs(fc.string({ maxLength: 30 })), async (inputs) => {
        const made = buildMicroCredential(inputs, issuer);
        if (!made) return;
        built++;
        const signed = await issue(made.credential as unknown as Doc, { key, format: 'eddsa-jcs-2022' });
        if (await expectSameReport(signed as object, 'generated')) walkedOnce++;
      }),
      { numRuns: 60 },
    );
    expect(walkedOnce).toBe(built);
  });

  it('on 1,500 rewrites (keywords as keys, aliases, inline and nested contexts, odd types and values)', async () => {
    let walkedOnce = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, mutations) => {
        const base = bases[pick % Math.min(bases.length, 40)]!;
        const doc = structuredClone(base.doc);
        for (const m of mutations) mutate(doc, m);
        if (await expectSameReport(doc, `${base.label} ${JSON.stringify(mutations)}`)) walkedOnce++;
        else refused++;
      }),
      { numRuns: 1500 },
    );
    // Both ways are exercised many times.
    expect(walkedOnce).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(500);
  }, 240_000);

  it('on a proof whose context is not the top-level list, and on node copies the merge changes', async () => {
    const signed = await signedSeedJcs();
    const top = signed['@context'] as string[];
    const proof = (signed.proof as Doc[])[0]!;
    const variants: Doc[] = [
      { ...signed, proof: [{ ...proof, '@context': top.slice(0, 2) }] },
      { ...signed, proof: [{ ...proof, '@context': [...top].reverse() }] },
      { ...signed, proof: [{ ...proof, '@context': top[0] }] },
      { ...signed, proof: { ...proof } },
      { ...signed, proof: [proof, { ...proof, '@context': top.slice(1) }] },
      // The issuer written in full and by reference: the merge fills the reference in, so safe mode is walked again.
      {
        ...signed,
        credentialSubject: { ...(signed.credentialSubject as Doc), source: { id: (signed.issuer as Doc).id } },
      },
    ];
    for (const [i, doc] of variants.entries()) await expectSameReport(doc, `variant ${i}`);
  });

  it('on credentials over the context limits, deep ones and huge strings', async () => {
    const signed = await signedSeedJcs();
    const top = signed['@context'] as string[];
    let deep: Doc = { name: 'x' };
    for (let i = 0; i < 300; i++) deep = { type: 'Thing', part: deep };
    const inline = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}`, `https://x.example/${i}`]));
    const variants: Doc[] = [
      { ...signed, '@context': [...top, ...Array(20).fill(top[2])] },
      { ...signed, '@context': [...top, top[1]] },
      { ...signed, '@context': [...top, inline] },
      { ...signed, credentialSubject: { ...(signed.credentialSubject as Doc), deep } },
      { ...signed, name: 'x'.repeat(1_000_000) },
      { ...signed, name: 'x'.repeat(4_200_000) },
      { ...signed, name: '\u0000'.repeat(300_000) },
      {
        ...signed,
        proof: Array.from({ length: 300 }, () => ({
          ...(signed.proof as Doc[])[0]!,
          '@context': ['https://x.example/c'],
        })),
      },
    ];
    for (const [i, doc] of variants.entries()) await expectSameReport(doc, `limits ${i}`);
  }, 60_000);

  // verify() reads a caller's object once, into plain data (src/shared/read-once.ts), before any walk:
  // a getter or proxy that would throw in the limits' walk or the length measure throws there or never.
  it("on a caller's getter that throws at its first read: the parse step fails on it, nothing reads it again", async () => {
    const signed = await signedSeedJcs();
    const achievement = { ...((signed.credentialSubject as Doc).achievement as Doc) };
    const name = throwAtRead(achievement, 'name', 1);
    const doc = { ...signed, credentialSubject: { ...(signed.credentialSubject as Doc), achievement } };
    const report = await verify(doc, { now });
    expect(report.verified).toBe(false);
    expect(report.checks).toMatchObject([{ check: 'parse', status: 'fail', code: 'INVALID_INPUT' }]);
    expect(name.reads()).toBe(1);
  });

  it("on a caller's getter in a nested @context that throws at its first read: refused at parse", async () => {
    const signed = JSON.parse(JSON.stringify(await signedSeedJcs())) as Doc; // the proof's list its own array
    const proof = (Array.isArray(signed.proof) ? signed.proof[0] : signed.proof) as Doc;
    const context = throwAtRead(proof['@context'] as unknown[], 0, 1, 'first read throws');
    const report = await verify(signed, { now });
    expect(report.verified).toBe(false);
    expect(report.checks).toMatchObject([{ check: 'parse', status: 'fail', code: 'INVALID_INPUT' }]);
    expect(context.reads()).toBe(1);
  });

  it("on a caller's object that would throw only when the length bound reads it (a proxy's getPrototypeOf)", async () => {
    // Read once into plain data, checked as the same credential written plainly.
    const signed = await signedSeedJcs();
    const trap = <T extends object>(target: T): T =>
      new Proxy(target, {
        getPrototypeOf() {
          throw new Error('no prototype');
        },
      });
    const { proof: _proof, ...unsigned } = signed;
    const variants: [Doc, Doc][] = [
      [{ ...signed, credentialSubject: trap({ ...(signed.credentialSubject as Doc) }) }, signed],
      [
        { ...signed, proof: [trap({ ...(signed.proof as Doc[])[0]! })] },
        { ...signed, proof: [(signed.proof as Doc[])[0]!] },
      ],
      [{ ...unsigned, issuer: trap({ ...(signed.issuer as Doc) }) }, unsigned],
    ];
    for (const [i, [doc, plain]] of variants.entries()) {
      await expectSameReport(doc, `proxy ${i}`);
      expect(await verify(doc, { now }), `proxy ${i}`).toEqual(await verify(plain, { now }));
    }
  });
});
