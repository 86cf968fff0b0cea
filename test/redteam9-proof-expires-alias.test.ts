/**
 * A context the verifier vouches for (`contexts`) that gives a proof's `expires` a second name. The proof
 * configuration is canonicalized with the document's `@context`, which is not signed, so a holder may add such a
 * context and move `expires` under the other name: the same graph, the same signature, while the proof check reads
 * the key `expires` and finds none, and an expired proof holds. The compacted-form rule refuses the second name.
 */
import { expect, it } from 'vitest';
import { generateKey, verify } from '../src';
import { computeHashData } from '../src/proof/data-integrity';
import { base58Encode } from '../src/platform/base58';

const EXT = 'https://contexts.example/proof-names/v1';
const contexts = {
  [EXT]: {
    '@context': {
      myExpires: {
        '@id': 'https://w3id.org/security#expiration',
        '@type': 'http://www.w3.org/2001/XMLSchema#dateTime',
      },
    },
  },
};

it('a proof end date moved under a second name is refused, not skipped', async () => {
  const key = generateKey();
  const context = ['https://www.w3.org/ns/credentials/v2'];
  const unsecured = {
    '@context': context,
    id: 'urn:uuid:8c0f4a52-7d1e-4b4f-9a55-2f3e6d7c8b91',
    type: ['VerifiableCredential'],
    issuer: key.controller,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:mari', name: 'Mari' },
  };
  // createProof writes no `expires`: the proof is made by hand, as another issuer's would be.
  const config = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-rdfc-2022',
    created: '2025-01-01T00:00:00Z',
    expires: '2025-02-01T00:00:00Z',
    verificationMethod: key.id,
    proofPurpose: 'assertionMethod',
  };
  const hash = await computeHashData(unsecured, { ...config, '@context': context }, 'eddsa-rdfc-2022');
  const proofValue = `z${base58Encode(await key.sign(hash))}`;
  const signed = { ...unsecured, proof: { ...config, proofValue } };
  const asSigned = await verify(signed, { contexts });
  expect(asSigned.checks).toContainEqual(expect.objectContaining({ status: 'fail', code: 'PROOF_EXPIRED' }));

  const { expires, ...rest } = signed.proof;
  const moved = { ...signed, '@context': [...context, EXT], proof: { ...rest, myExpires: expires } };
  const report = await verify(moved, { contexts });
  expect(report.verified).toBe(false);
  expect(report.checks).toContainEqual(
    expect.objectContaining({ status: 'fail', code: 'NOT_COMPACTED', path: '$.proof.myExpires' }),
  );
});
