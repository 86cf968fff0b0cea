/**
 * A caller's credential object is read once. Read in place, an object whose getter (or proxy trap) gives one value
 * to the proof and another to the checks after it verified for what the signature does not say: an expired
 * credential read as valid until 2099 once the proof had read the signed date. No throw is needed, so the fixes that
 * made a throw final could not catch it. verify(), verifyPresentation, verifyStack and verifyClr now read the caller's
 * object once into plain data (src/shared/read-once.ts) and check that copy only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  award,
  awardProgramme,
  buildClr,
  createPresentation,
  defineIssuer,
  generateKey,
  issue,
  signPresentation,
  verify,
  verifyClr,
  verifyPresentation,
  verifyStack,
} from '../src';
import { reiProgramme } from '../examples/rei-programme';
import { benchIssuer, seedCredential } from '../bench/fixtures';

type Doc = Record<string, unknown>;
const key = generateKey();
const EXPIRED = '2020-01-01T00:00:00Z';
const LATER = '2099-01-01T00:00:00Z';
const challenge = 'nonce-4711';
let expired: Doc;

beforeAll(async () => {
  const seed = seedCredential(benchIssuer(key.controller)) as unknown as Doc;
  expired = JSON.parse(
    JSON.stringify(
      await issue({ ...seed, validFrom: '2019-01-01T00:00:00Z', validUntil: EXPIRED } as never, {
        key,
        format: 'eddsa-rdfc-2022',
      }),
    ),
  ) as Doc;
});

/** `doc` whose `key` gives `first` for its first `reads` reads and `then` after. */
function changingRead(doc: Doc, key: string, reads: number, first: unknown, then: unknown): Doc {
  const copy = { ...doc };
  let count = 0;
  Object.defineProperty(copy, key, { enumerable: true, get: () => (++count <= reads ? first : then) });
  return copy;
}

describe("verify() of a caller's object whose reads disagree", () => {
  it('the signed credential is expired, and so is every reading of it', async () => {
    const honest = await verify(expired);
    expect(honest.verified).toBe(false);
    expect(honest.checks.find((c) => c.check === 'validity')).toMatchObject({ status: 'fail', code: 'EXPIRED' });
    // Whichever read turns the date (the proof's, a check's), the credential is judged on one value of it.
    for (let reads = 0; reads <= 40; reads++) {
      const report = await verify(changingRead(expired, 'validUntil', reads, EXPIRED, LATER));
      expect(report.verified, `date changes after read ${reads}`).toBe(false);
      const proof = report.checks.find((c) => c.check === 'proof');
      const validity = report.checks.find((c) => c.check === 'validity');
      // Read once: either the signed date (signature good, expired) or the other (signature bad).
      if (proof?.status === 'pass')
        expect(validity, `read ${reads}`).toMatchObject({ status: 'fail', code: 'EXPIRED' });
      else expect(proof, `read ${reads}`).toMatchObject({ status: 'fail', code: 'INVALID_SIGNATURE' });
    }
  }, 60_000);
});

describe("verifyPresentation() of a caller's object whose reads disagree", () => {
  it('the credentials verified are the ones the holder signed, whichever read shows others', async () => {
    const learner = generateKey();
    const credentialOf = (name: string) =>
      issue(
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          id: `urn:uuid:${crypto.randomUUID()}`,
          type: ['VerifiableCredential'],
          issuer: key.controller,
          validFrom: '2025-01-01T00:00:00Z',
          credentialSubject: { id: learner.controller, name },
        },
        { key },
      );
    const presented = JSON.parse(JSON.stringify(await credentialOf('presented'))) as Doc;
    const withheld = JSON.parse(JSON.stringify(await credentialOf('withheld'))) as Doc;
    const now = new Date(Date.now() + 60_000);
    const signed = JSON.parse(
      JSON.stringify(
        await signPresentation(createPresentation({ verifiableCredential: [presented], holder: learner.controller }), {
          key: learner,
          challenge,
        }),
      ),
    ) as Doc;
    expect((await verifyPresentation(signed, { challenge, now })).verified).toBe(true);
    for (let reads = 0; reads <= 30; reads++) {
      const doc = changingRead(signed, 'verifiableCredential', reads, [presented], [withheld]);
      const report = await verifyPresentation(doc, { challenge, now });
      if (report.verified)
        expect(
          report.credentials.map((r) => r.credential?.id),
          `credentials change after read ${reads}`,
        ).toEqual([presented.id]);
    }
  }, 60_000);
});

describe("verifyStack() of a caller's part whose reads disagree", () => {
  it('a part signed as failed never counts as passed, whichever read shows a passed one', async () => {
    const university = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
    const on = (i: number) => (i < 3 ? '2024-01-26' : '2024-06-14');
    const partOf = async (i: number, grade: string) =>
      JSON.parse(
        JSON.stringify(
          await issue(award(reiProgramme.parts[i]!, { issuer: university, learner: mari, grade, awardedOn: on(i) }), {
            key,
          }),
        ),
      ) as Doc;
    const parts = await Promise.all(['A', 'F', 'A', 'pass', 'pass'].map((grade, i) => partOf(i, grade)));
    const passedCopy = await partOf(1, 'B'); // signed too, so its subject is well-formed; not the learner's part
    const programme = await issue(award(reiProgramme, { issuer: university, learner: mari, awardedOn: '2024-06-20' }), {
      key,
    });
    const honest = await verifyStack({ programme, parts: parts as never });
    expect(honest.verified).toBe(false);
    for (let reads = 0; reads <= 20; reads++) {
      const failed = changingRead(
        parts[1]!,
        'credentialSubject',
        reads,
        passedCopy.credentialSubject,
        parts[1]!.credentialSubject,
      );
      const report = await verifyStack({ programme, parts: [parts[0], failed, ...parts.slice(2)] as never });
      expect(report.verified, `subject changes after read ${reads}`).toBe(false);
    }
  }, 60_000);
});

describe("verifyClr() of a caller's CLR whose reads disagree", () => {
  it('the credentials checked are the ones the CLR signed, whichever read shows another transcript', async () => {
    const university = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
    const transcript = async (grades: string[]) => {
      const parts = (await Promise.all(
        reiProgramme.parts.map((p, i) =>
          issue(award(p, { issuer: university, learner: mari, grade: grades[i]!, awardedOn: '2024-06-14' }), { key }),
        ),
      )) as unknown as Doc[];
      const programme = await issue(
        await awardProgramme(reiProgramme, { issuer: university, learner: mari, parts, awardedOn: '2024-06-20' }),
        { key },
      );
      const clr = buildClr({ issuer: university, learner: mari, credentials: [programme, ...parts] });
      return JSON.parse(JSON.stringify(await issue(clr, { key }))) as Doc;
    };
    const signed = await transcript(['A', 'B', 'A', 'pass', 'pass']);
    const other = await transcript(['B', 'C', 'B', 'pass', 'pass']);
    const idsOf = (clr: Doc) =>
      ((clr.credentialSubject as Doc).verifiableCredential as Doc[]).map((c) => c.id as string);
    expect((await verifyClr(signed)).verified).toBe(true);
    for (let reads = 0; reads <= 20; reads++) {
      const doc = changingRead(signed, 'credentialSubject', reads, signed.credentialSubject, other.credentialSubject);
      const report = await verifyClr(doc);
      if (report.verified)
        expect(
          report.credentials.map((r) => r.credential?.id),
          `subject changes after read ${reads}`,
        ).toEqual(idsOf(signed));
    }
  }, 60_000);
});

describe('readOnce', () => {
  it('reads each key and index once, refuses an own __proto__ key, refuses a cycle or a shared subtree too often, and a getter that throws', async () => {
    const { readOnce } = await import('../src/shared/read-once');
    let reads = 0;
    expect(() => readOnce(JSON.parse('{"a":[1,{"__proto__":{"polluted":true}}]}') as Doc)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    const source = JSON.parse('{"a":[1,{"b":-0}]}') as Doc;
    Object.defineProperty(source, 'c', { enumerable: true, get: () => ++reads });
    const copy = readOnce(source);
    expect(reads).toBe(1);
    expect(copy.c).toBe(1);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.is((copy.a as Doc[])[1]!.b, -0)).toBe(true);
    const cyclic: Doc = {};
    cyclic.self = cyclic;
    expect(() => readOnce(cyclic)).toThrow(expect.objectContaining({ code: 'CANONICALIZATION_LIMIT' }));
    const throwing = {};
    Object.defineProperty(throwing, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    expect(() => readOnce(throwing)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // 2^30 paths through 30 shared arrays: refused by the value budget, not copied.
    let shared: unknown = 'leaf';
    for (let i = 0; i < 30; i++) shared = [shared, shared];
    expect(() => readOnce({ shared })).toThrow(expect.objectContaining({ code: 'CANONICALIZATION_LIMIT' }));
  });

  it("counts every index, so a sparse array's length is refused, not copied", async () => {
    const { readOnce } = await import('../src/shared/read-once');
    // Length 2^28 costs the caller nothing to set; copied index by index it ran the process out of memory.
    const sparse: unknown[] = [];
    sparse.length = 2 ** 28;
    expect(() => readOnce({ sparse })).toThrow(expect.objectContaining({ code: 'CANONICALIZATION_LIMIT' }));
    // Through verify(): a report (the test's time-out would catch a copy index by index).
    const report = await verify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      evidence: sparse,
    });
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.status === 'fail')).toMatchObject({
      check: 'parse',
      code: 'CANONICALIZATION_LIMIT',
    });
  });
});

describe("a fetcher's status list object whose reads disagree", () => {
  it('a revoked credential stays revoked, whichever read shows a list without its bit', async () => {
    const { Bitstring, statusListCredential, statusListEntry } = await import('../src/entries/status');
    const LIST = 'https://status.ut.example/lists/1';
    const INDEX = 7;
    const university = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = await issue(
      award(reiProgramme.parts[0]!, {
        issuer: university,
        learner: 'did:example:learner',
        grade: 'B',
        awardedOn: '2024-01-26',
        credentialStatus: statusListEntry({ listCredentialId: LIST, index: INDEX, purpose: 'revocation' }) as never,
      }),
      { key, created: '2024-01-26T00:00:00Z' },
    );
    const listWith = async (revoked: boolean) => {
      const bits = new Bitstring();
      if (revoked) bits.set(INDEX, true);
      const unsigned = await statusListCredential({
        id: LIST,
        issuer: key.controller,
        purpose: 'revocation',
        bitstring: bits,
        validFrom: '2024-01-01T00:00:00Z',
      });
      return JSON.parse(
        JSON.stringify(await issue(unsigned as never, { key, created: '2024-01-01T00:00:00Z' })),
      ) as Doc;
    };
    const revokedList = await listWith(true);
    const clearList = await listWith(false);
    const now = new Date('2026-11-29T12:00:00Z');
    const honest = await verify(credential, { now, fetchStatusList: async () => structuredClone(revokedList) });
    expect(honest.checks.find((c) => c.check === 'status')).toMatchObject({ status: 'fail', code: 'REVOKED' });
    for (let reads = 0; reads <= 30; reads++) {
      const report = await verify(credential, {
        now,
        fetchStatusList: async () =>
          changingRead(
            revokedList,
            'credentialSubject',
            reads,
            revokedList.credentialSubject,
            clearList.credentialSubject,
          ),
      });
      expect(report.verified, `list changes after read ${reads}`).toBe(false);
    }
  }, 60_000);
});
