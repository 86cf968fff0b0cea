import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalizeRdf } from '../src/jsonld';
import { checkCompactedForm } from '../src/jsonld/compacted-form';
import { verify } from '../src';
import { importKey } from '../src/keys';
import { computeHashData, createProof, localResolver, verifyProof, type Proof } from '../src/proof';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

type Json = Record<string, unknown>;
const own = (file: string) =>
  JSON.parse(fs.readFileSync(new URL(`./fixtures-own/clr-vector/${file}`, import.meta.url), 'utf8')) as Json;
const hex = (s: string) => bytesToHex(sha256(new TextEncoder().encode(s)));

describe("1EdTech's CLR 2.0 eddsa-rdfc-2022 vector (bundled CLR context-2.0.1)", () => {
  const OB = 'ob3-test-vector';
  const kp = readFixtureJson<Record<string, string>>(OB, 'ob3-keypair.json');
  const options = readFixtureJson<Record<string, string>>(OB, 'ob3-proof-options.json');
  const doc = own('unsigned.json');
  const expected = own('expected.json') as Record<string, string>;
  const key = importKey({ secretKeyMultibase: kp.secretKeyMultibase! }, { controller: kp.controller });

  it('reproduces the document and proof N-Quads byte for byte, both hashes, the data to sign, signature and proofValue', async () => {
    const proofConfig = { ...options, '@context': doc['@context'] };
    const canonDoc = await canonicalizeRdf(doc);
    const canonProof = await canonicalizeRdf(proofConfig);
    expect(canonDoc).toBe(readFixtureText(OB, 'clrv2p0_document-canon.txt'));
    expect(canonProof).toBe(readFixtureText(OB, 'clrv2p0_proof-canon.txt'));
    expect(hex(canonDoc)).toBe(expected.documentHashHex);
    expect(hex(canonProof)).toBe(expected.proofHashHex);
    const hashData = await computeHashData(doc, proofConfig, 'eddsa-rdfc-2022');
    expect(bytesToHex(hashData)).toBe(expected.dataToSignHex);
    expect(bytesToHex(await key.sign(hashData))).toBe(expected.signatureHex);
    const signed = await createProof(doc, { key, created: options.created! });
    expect(signed.proof).toEqual([{ ...options, proofValue: expected.proofValue }]);
    // 1EdTech signs with an https key whose fragment is the key itself: not trusted by default (docs/security.md). The
    // signature is checked with the key read from the fragment, and reported valid with the identity unconfirmed.
    const r = await verifyProof(signed, (signed.proof as Proof[])[0], {
      resolveVerificationMethod: localResolver({ acceptUnconfirmedFragmentKeys: true }),
    });
    expect(r).toMatchObject({ verified: true, controller: 'https://example.edu/issuers/565049', keyUnconfirmed: true });
    expect(
      (await verifyProof(signed, (signed.proof as Proof[])[0], { resolveVerificationMethod: localResolver() }))
        .verified,
    ).toBe(false);
  });

  it('the AchievementCredential nested in the vector carries a proof that verifies on its own', async () => {
    const nested = ((doc.credentialSubject as Json).verifiableCredential as Json[])[0]!;
    // Signed with an https fragment key (https://example.edu/issuers/565049#z6Mk…): valid, identity unconfirmed.
    const resolveVerificationMethod = localResolver({ acceptUnconfirmedFragmentKeys: true });
    const r = await verifyProof(nested, (nested.proof as Proof[])[0], { resolveVerificationMethod });
    expect(r.verified, r.message).toBe(true);
    expect(r).toMatchObject({ controller: 'https://example.edu/issuers/565049', keyUnconfirmed: true });
    const tampered = { ...nested, name: 'Forged Degree' };
    expect((await verifyProof(tampered, (nested.proof as Proof[])[0], { resolveVerificationMethod })).verified).toBe(
      false,
    );
    // Not trusted by default: without a controller document listing the key, nothing says who holds it.
    const refused = await verifyProof(nested, (nested.proof as Proof[])[0], {
      resolveVerificationMethod: localResolver(),
    });
    expect(refused.verified).toBe(false);
    expect(refused.message).toMatch(/needs resolving and no resolver was given/);
    // The whole pipeline says the same: refused by default, with the option a warning that names the gap.
    const strict = await verify(nested);
    expect(strict.verified).toBe(false);
    expect(strict.checks.find((c) => c.check === 'keyBinding')).toMatchObject({
      status: 'fail',
      code: 'KEY_UNCONFIRMED',
    });
    const lenient = await verify(nested, { acceptUnconfirmedFragmentKeys: true });
    expect(lenient.verified).toBe(true);
    expect(lenient.checks.find((c) => c.check === 'keyBinding')).toMatchObject({
      status: 'warn',
      code: 'KEY_UNCONFIRMED',
    });
  });

  it("the vector is in the compacted form of its contexts, its nested credential read in that credential's own", async () => {
    expect(await checkCompactedForm(doc)).toEqual({ status: 'compacted' });
  });

  it('without the bundled CLR context the vector cannot be read at all', async () => {
    const wrong = {
      ...doc,
      '@context': (doc['@context'] as string[]).map((c) => c.replace('context-2.0.1', 'context-9.9.9')),
    };
    await expect(canonicalizeRdf(wrong)).rejects.toMatchObject({ code: 'UNKNOWN_CONTEXT' });
  });
});
