/**
 * Proof sets and chains per W3C Data Integrity §4.5, in verify() and verifyProofSet alike (one
 * implementation, startProofSet, serves both): every proof must verify, unknown suites and dangling or cyclic
 * previousProof fail with their own codes, and the report lists each proof's outcome.
 */
import { describe, expect, it } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify } from '../src';
import { createDocumentLoader } from '../src/entries/jsonld';
import { createProof, verifyProofSet, type Proof } from '../src/entries/proof';
import { reiProgramme } from '../examples/rei-programme';
import { readFixtureJson } from './helpers/fixtures';

type Json = Record<string, unknown>;
const key = generateKey();
const cosigner = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0]!, {
  issuer,
  learner: 'did:example:learner',
  grade: 'A',
  awardedOn: '2024-01-26',
});
const signed = (await issue(credential, { key })) as unknown as Json & { proof: Proof[] };
const proofCheck = (r: Awaited<ReturnType<typeof verify>>) => r.checks.find((c) => c.check === 'proof');

describe('proof sets in verify()', () => {
  it('two valid proofs (the issuer and a co-signer): verified, each outcome listed', async () => {
    const both = await createProof(signed, { key: cosigner, cryptosuite: 'eddsa-jcs-2022' });
    const r = await verify(both);
    expect(r.verified, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(proofCheck(r)?.message).toMatch(/2 of 2 proof\(s\) valid/);
    expect(r.proofResults?.map((p) => [p.verified, p.controller])).toEqual([
      [true, key.controller],
      [true, cosigner.controller],
    ]);
  });

  it('a valid issuer proof plus a corrupted second proof: NOT VERIFIED (every proof must hold)', async () => {
    const both = (await createProof(signed, { key: cosigner, cryptosuite: 'eddsa-jcs-2022' })) as Json & {
      proof: Proof[];
    };
    const second = both.proof[1]!;
    const corrupted = { ...both, proof: [both.proof[0], { ...second, proofValue: both.proof[0]!.proofValue }] };
    const r = await verify(corrupted);
    expect(r.verified).toBe(false);
    expect(proofCheck(r)).toMatchObject({
      status: 'fail',
      code: 'INVALID_SIGNATURE',
      message: expect.stringMatching(/proof\[0\].*valid.*proof\[1\].*INVALID_SIGNATURE/),
    });
    // The issuer's own proof still holds, and the report says so.
    expect(r.checks.find((c) => c.check === 'keyBinding')?.status).toBe('pass');
    expect(r.proofResults?.map((p) => p.verified)).toEqual([true, false]);
  });

  it('an unknown cryptosuite beside a valid proof: UNSUPPORTED_PROOF', async () => {
    const r = await verify({
      ...signed,
      proof: [...signed.proof, { ...signed.proof[0]!, cryptosuite: 'ecdsa-sd-2023' }],
    });
    expect(r.verified).toBe(false);
    expect(proofCheck(r)).toMatchObject({ status: 'fail', code: 'UNSUPPORTED_PROOF' });
  });

  it('a previousProof that names nothing: PREVIOUS_PROOF_MISSING', async () => {
    const chained = await createProof(
      { ...signed, proof: [{ ...signed.proof[0]!, id: 'urn:uuid:first' }] },
      { key: cosigner, previousProof: 'urn:uuid:first' },
    );
    const dangling = { ...chained, proof: [(chained.proof as Proof[])[1]] };
    const r = await verify(dangling);
    expect(r.verified).toBe(false);
    expect(proofCheck(r)).toMatchObject({ status: 'fail', code: 'PREVIOUS_PROOF_MISSING' });
  });

  it('previousProof references that loop: PREVIOUS_PROOF_CYCLE, found before any key is resolved', async () => {
    const a = {
      ...signed.proof[0]!,
      id: 'urn:p:a',
      previousProof: 'urn:p:b',
      verificationMethod: 'did:web:a.example#k',
    };
    const b = {
      ...signed.proof[0]!,
      id: 'urn:p:b',
      previousProof: 'urn:p:a',
      verificationMethod: 'did:web:b.example#k',
    };
    const self = { ...signed.proof[0]!, id: 'urn:p:self', previousProof: 'urn:p:self' };
    const asked: string[] = [];
    const resolveDocument = async (url: string) => (asked.push(url), {});
    for (const proof of [
      [signed.proof[0], a, b],
      [signed.proof[0], self],
    ]) {
      const r = await verify({ ...signed, proof }, { resolveDocument });
      expect(r.verified).toBe(false);
      expect(proofCheck(r)).toMatchObject({ status: 'fail', code: 'PREVIOUS_PROOF_CYCLE' });
    }
    expect(asked).toEqual([]);
  });

  it('an expired or future-dated proof in a set fails the set', async () => {
    const future = await createProof(signed, { key: cosigner, created: '2999-01-01T00:00:00Z' });
    expect(proofCheck(await verify(future))).toMatchObject({ status: 'fail', code: 'PROOF_NOT_YET_VALID' });
  });
});

describe('W3C proof-set and proof-chain vectors', () => {
  const TV = ['w3c-vc-di-eddsa', 'TestVectors', 'proof-set-chain'];
  const contexts = {
    'https://www.w3.org/ns/credentials/examples/v2': {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
    },
  };
  const documentLoader = createDocumentLoader({ contexts });
  const files = ['signedProofSet1.json', 'signedProofSet2.json', 'signedProofChain1.json', 'signedProofChain2.json'];

  it('every vector verifies as a set; a second proof corrupted makes it false', async () => {
    for (const file of files) {
      const doc = readFixtureJson<Json & { proof: Proof | Proof[] }>(...TV, file);
      const r = await verifyProofSet(doc, { documentLoader, now: new Date('2026-11-29T00:00:00Z') });
      expect(r.verified, `${file}: ${r.message}`).toBe(true);
      const proofs = Array.isArray(doc.proof) ? doc.proof : [doc.proof];
      if (proofs.length < 2) continue;
      const corrupted = {
        ...doc,
        proof: proofs.map((p, i) => (i === 1 ? { ...p, proofValue: proofs[0]!.proofValue } : p)),
      };
      const bad = await verifyProofSet(corrupted, { documentLoader });
      expect(bad.verified, file).toBe(false);
      expect(bad.results[1]).toMatchObject({ verified: false });
    }
  });

  it('through verify(): every proof holds (the vectors are signed by keys their issuer does not control, so key binding fails)', async () => {
    for (const file of files) {
      const doc = readFixtureJson<Json>(...TV, file);
      const r = await verify(doc, { contexts });
      expect(proofCheck(r), file).toMatchObject({ status: 'pass' });
      expect(
        r.proofResults?.every((p) => p.verified),
        file,
      ).toBe(true);
    }
  });
});
