import { describe, expect, it } from 'vitest';
// The reference packages ship no type declarations (see bench/reference.ts).
// @ts-expect-error untyped
import * as vc from '@digitalbazaar/vc';
// @ts-expect-error untyped
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
// @ts-expect-error untyped
import { cryptosuite as rdfcSuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as jcsSignSuite,
  createVerifyCryptosuite as jcsVerifySuite,
  // @ts-expect-error untyped (the error is reported at the module name, on the next line)
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { createPresentation, importKey, issue, signPresentation, verifyPresentation } from '../src';
import { referenceIssuer, referenceLoader } from '../bench/reference';

type Suite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022';
const challenge = 'a1b2c3-challenge';
const domain = 'https://verifier.example.org';

function credential(issuer: string, subject: string) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: subject, name: 'Data literacy' },
  };
}

/** The reference holder: its own Ed25519 Multikey, signing with @digitalbazaar/vc's signPresentation. */
async function referenceHolder() {
  const ref = await referenceIssuer();
  // referenceIssuer exposes the key material; rebuild the signer the way the reference does.
  // @ts-expect-error untyped
  const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey');
  const key = await Ed25519Multikey.from({
    id: ref.verificationMethod,
    controller: ref.did,
    type: 'Multikey',
    publicKeyMultibase: ref.publicKeyMultibase,
    secretKeyMultibase: ref.secretKeyMultibase,
  });
  return { ref, signer: key.signer() };
}

describe('presentations interoperate with @digitalbazaar/vc, both directions', () => {
  for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as Suite[]) {
    it(`${suite}: the reference signs (signPresentation with challenge and domain), we verify`, async () => {
      const issuerRef = await referenceIssuer();
      const { ref: holder, signer } = await referenceHolder();
      const signedVc = await issuerRef.issue(credential(issuerRef.did, holder.did), suite);
      const presentation = vc.createPresentation({
        verifiableCredential: [signedVc],
        holder: holder.did,
        version: 2.0,
      });
      const proofSuite = new DataIntegrityProof({
        signer,
        cryptosuite: suite === 'eddsa-rdfc-2022' ? rdfcSuite : jcsSignSuite(),
      });
      const vp = await vc.signPresentation({
        presentation,
        suite: proofSuite,
        challenge,
        domain,
        documentLoader: referenceLoader(),
      });
      const report = await verifyPresentation(vp, { challenge, domain, requireHolderIsSubject: true });
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(report.verified).toBe(true);
      // And the reference's presentation made for another verifier does not pass here.
      expect((await verifyPresentation(vp, { challenge: 'other', domain })).verified).toBe(false);
    });

    it(`${suite}: we sign, the reference verifies (verify with challenge and domain)`, async () => {
      const issuerRef = await referenceIssuer();
      const issuerKey = importKey({ secretKeyMultibase: issuerRef.secretKeyMultibase });
      const holderRef = await referenceIssuer();
      const holderKey = importKey({ secretKeyMultibase: holderRef.secretKeyMultibase });
      const signedVc = await issue(credential(issuerKey.controller, holderKey.controller), {
        key: issuerKey,
        format: suite,
      });
      const vp = await signPresentation(
        createPresentation({ verifiableCredential: [signedVc], holder: holderKey.controller }),
        { key: holderKey, format: suite, challenge, domain },
      );
      const verifySuite = new DataIntegrityProof({
        cryptosuite: suite === 'eddsa-rdfc-2022' ? rdfcSuite : jcsVerifySuite(),
      });
      const result = await vc.verify({
        presentation: vp,
        challenge,
        domain,
        suite: verifySuite,
        documentLoader: referenceLoader(),
      });
      expect(result.error?.errors?.[0]?.message ?? result.error?.message).toBeUndefined();
      expect(result.verified).toBe(true);
      const wrong = await vc.verify({
        presentation: vp,
        challenge: 'other',
        domain,
        suite: verifySuite,
        documentLoader: referenceLoader(),
      });
      expect(wrong.verified).toBe(false);
    });
  }
});
