import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalizeRdf } from '../src/jsonld';
import { importKey } from '../src/keys';
import { computeHashData, createProof, localResolver, verifyProof, type Proof } from '../src/proof';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

type Json = Record<string, unknown>;
const own = (file: string) => JSON.parse(fs.readFileSync(new URL(`./fixtures-own/clr-vector/${file}`, import.meta.url), 'utf8')) as Json;
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
    const r = await verifyProof(signed, (signed.proof as Proof[])[0], { resolveVerificationMethod: localResolver() });
    expect(r).toMatchObject({ verified: true, controller: 'https://example.edu/issuers/565049' });
  });

  it('the AchievementCredential nested in the vector carries a proof that verifies on its own', async () => {
    const nested = ((doc.credentialSubject as Json).verifiableCredential as Json[])[0]!;
    const r = await verifyProof(nested, (nested.proof as Proof[])[0], { resolveVerificationMethod: localResolver() });
    expect(r.verified, r.message).toBe(true);
    const tampered = { ...nested, name: 'Forged Degree' };
    expect((await verifyProof(tampered, (nested.proof as Proof[])[0], { resolveVerificationMethod: localResolver() })).verified).toBe(false);
  });

  it('without the bundled CLR context the vector cannot be read at all', async () => {
    const wrong = { ...doc, '@context': (doc['@context'] as string[]).map((c) => c.replace('context-2.0.1', 'context-9.9.9')) };
    await expect(canonicalizeRdf(wrong)).rejects.toMatchObject({ code: 'UNKNOWN_CONTEXT' });
  });
});
