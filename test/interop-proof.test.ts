import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKey, importKey } from '../src/keys';
import { createProof, verifyProofSet, type Proof } from '../src/proof';
import { referenceIssuer, referenceVerify, type ReferenceSuite } from '../bench/reference';

/**
 * Proof-level interop with the reference stack (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022 / eddsa-jcs-2022
 * cryptosuites), both directions, on a small OB 3.0 credential written here. bench/reference.ts wires their stack to
 * our offline document loader and derives did:key documents with @digitalbazaar/ed25519-multikey: no network.
 * Their issuance purpose requires issuer == the verification method's controller, so the issuer is the did:key.
 */
function badge(issuer: string, overrides: { name?: string; narrative?: string; subject?: string } = {}) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:2f7ad8a4-6a4e-4f1e-9d0b-3c1b5e7f9a01',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: overrides.name ?? 'Data Literacy (micro-credential)',
    issuer: { id: issuer, type: ['Profile'], name: 'Example University' },
    validFrom: '2025-09-01T00:00:00Z',
    credentialSubject: {
      id: overrides.subject ?? 'did:example:learner-1',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://uni.example/achievements/data-literacy',
        type: ['Achievement'],
        name: overrides.name ?? 'Data Literacy',
        description: 'Reads, cleans and visualises tabular data.',
        criteria: { narrative: overrides.narrative ?? 'Passed the final assessment (\u00e9valuation finale).' },
      },
    },
  };
}

const SUITES: ReferenceSuite[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];
const CREATED = '2025-09-01T12:00:00Z';

describe('interop at the proof level with @digitalbazaar (both directions, rdfc and jcs)', () => {
  for (const suite of SUITES) {
    it(`${suite}: our proofs (object and array shape) verify there; tampered ones do not`, async () => {
      const key = generateKey();
      for (const proofShape of ['object', 'array'] as const) {
        const signed = await createProof(badge(key.controller), {
          key,
          cryptosuite: suite,
          created: CREATED,
          proofShape,
        });
        expect(await referenceVerify(signed, suite)).toEqual({ verified: true });
        const tampered = { ...signed, name: 'Advanced Data Literacy' };
        expect((await referenceVerify(tampered, suite)).verified).toBe(false);
      }
    });

    it(`${suite}: their proofs verify here, and with the same key and time our proofValue is theirs byte for byte`, async () => {
      const ref = await referenceIssuer();
      const theirs = await ref.issue(badge(ref.did), suite);
      const r = await verifyProofSet(theirs);
      expect(r.verified, r.message).toBe(true);
      expect(r.results[0]).toMatchObject({
        cryptosuite: suite,
        controller: ref.did,
        verificationMethod: ref.verificationMethod,
      });
      const theirProof = theirs.proof as Proof;
      const sameKey = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
      expect(sameKey.id).toBe(ref.verificationMethod);
      const ours = await createProof(badge(ref.did), {
        key: sameKey,
        cryptosuite: suite,
        created: theirProof.created,
        proofShape: 'object',
      });
      expect(ours.proof).toEqual(theirProof); // every field, including the jcs proof's @context
      expect((await verifyProofSet({ ...theirs, validFrom: '2025-09-02T00:00:00Z' })).verified).toBe(false);
    });
  }

  it('a proof set: they sign, we add a second proof with another key; each side checks what it can', async () => {
    const ref = await referenceIssuer();
    const theirs = await ref.issue(badge(ref.did));
    const cosigner = generateKey();
    const both = await createProof(theirs, { key: cosigner, created: CREATED });
    expect((both.proof as Proof[]).length).toBe(2);
    const r = await verifyProofSet(both);
    expect(r.verified, r.message).toBe(true);
    expect(r.results.map((x) => x.controller)).toEqual([ref.did, cosigner.controller]);
    // jsonld-signatures accepts a set when *some* proof verifies and passes its purpose check (issuer == controller),
    // so the issuer's proof carries it; verifyProofSet asks for *every* proof. With the issuer's proof broken, only the
    // co-signer's holds, and both sides refuse: the reference because the co-signer is not the issuer, we because a
    // proof fails.
    expect((await referenceVerify(both)).verified).toBe(true);
    const issuerProofBroken = {
      ...both,
      proof: [{ ...(both.proof as Proof[])[0]!, created: '2020-01-01T00:00:00Z' }, (both.proof as Proof[])[1]!],
    };
    expect((await referenceVerify(issuerProofBroken)).verified).toBe(false);
    const ours = await verifyProofSet(issuerProofBroken);
    expect(ours.results.map((x) => x.verified)).toEqual([false, true]);
    expect(ours.verified).toBe(false);
  });

  it('generated names, narratives and subject ids: byte-identical proofs both ways (property-based)', async () => {
    const ref = await referenceIssuer();
    const sameKey = importKey({ secretKeyMultibase: ref.secretKeyMultibase });
    const text = fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).filter((s) => !/[\uD800-\uDFFF]/.test(s));
    await fc.assert(
      fc.asyncProperty(text, text, fc.webUrl(), fc.constantFrom(...SUITES), async (name, narrative, subject, suite) => {
        const credential = badge(ref.did, { name, narrative, subject });
        const theirs = await ref.issue(credential, suite);
        const ours = await createProof(credential, {
          key: sameKey,
          cryptosuite: suite,
          created: (theirs.proof as Proof).created,
          proofShape: 'object',
        });
        expect((ours.proof as Proof).proofValue).toBe((theirs.proof as Proof).proofValue);
        expect((await verifyProofSet(theirs)).verified).toBe(true);
        expect((await referenceVerify(ours, suite)).verified).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 60) },
    );
  }, 120_000);
});
