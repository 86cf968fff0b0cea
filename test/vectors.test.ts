import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base58btc } from 'multiformats/bases/base58';
import { canonize, createDocumentLoader, importKey, createProof, verifyProof, createResolver, canonicalizeJcs, usePureJsEd25519 } from '../src';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

const TV = 'w3c-vc-di-eddsa/TestVectors';
// The W3C examples context (https://www.w3.org/ns/credentials/examples/v2) is in no fixture or npm package; it is
// this one-line @vocab, and the byte-exact canonical form below would fail if it were anything else.
const examplesContext = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };
const documentLoader = createDocumentLoader({ contexts: { 'https://www.w3.org/ns/credentials/examples/v2': examplesContext } });
const text = (...p: string[]) => readFixtureText(TV, ...p).trim();
const keyPair = readFixtureJson<{ publicKeyMultibase: string; privateKeyMultibase: string }>(TV, 'keyPair.json');
const key = importKey({ secretKeyMultibase: keyPair.privateKeyMultibase });
const unsigned = readFixtureJson<Record<string, unknown>>(TV, 'unsigned.json');
const resolver = createResolver();

describe('W3C vc-di-eddsa v1.0 vectors, through our code', () => {
  it('the key pair round-trips', () => {
    expect(key.publicKeyMultibase).toBe(keyPair.publicKeyMultibase);
    expect(key.exportSecretKeyMultibase()).toBe(keyPair.privateKeyMultibase);
  });

  it('eddsa-rdfc-2022: canonical forms, hashes, signature and proofValue byte for byte', async () => {
    const config = readFixtureJson<Record<string, unknown>>(TV, 'eddsa-rdfc-2022', 'proofConfigDataInt.json');
    const canonDoc = await canonize(unsigned, { documentLoader });
    expect(canonDoc).toBe(readFixtureText(TV, 'eddsa-rdfc-2022', 'canonDocDataInt.txt'));
    const canonProof = await canonize(config, { documentLoader });
    expect(canonProof).toBe(readFixtureText(TV, 'eddsa-rdfc-2022', 'proofCanonDataInt.txt'));
    expect(bytesToHex(sha256(new TextEncoder().encode(canonDoc)))).toBe(text('eddsa-rdfc-2022', 'docHashDataInt.txt'));
    expect(bytesToHex(sha256(new TextEncoder().encode(canonProof)))).toBe(text('eddsa-rdfc-2022', 'proofHashDataInt.txt'));
    const { '@context': _c, ...proofOptions } = config;
    void _c;
    const signed = await createProof(unsigned, { key, cryptosuite: 'eddsa-rdfc-2022', created: proofOptions.created as string, documentLoader, proofShape: 'object' });
    const proof = signed.proof as { proofValue: string };
    expect(bytesToHex(base58btc.decode(proof.proofValue))).toBe(text('eddsa-rdfc-2022', 'sigHexDataInt.txt'));
    expect(proof.proofValue).toBe(text('eddsa-rdfc-2022', 'sigBTC58DataInt.txt'));
    expect(signed).toEqual(readFixtureJson(TV, 'eddsa-rdfc-2022', 'signedDataInt.json'));
  });

  it('eddsa-rdfc-2022 signed vector verifies; the pure-JS and native Ed25519 paths agree', async () => {
    const signed = readFixtureJson<Record<string, unknown>>(TV, 'eddsa-rdfc-2022', 'signedDataInt.json');
    const r = await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod: resolver });
    expect(r).toMatchObject({ verified: true });
    usePureJsEd25519(true);
    try {
      const pureKey = importKey({ secretKeyMultibase: keyPair.privateKeyMultibase });
      const again = await createProof(unsigned, { key: pureKey, created: '2023-02-24T23:36:38Z', documentLoader, proofShape: 'object' });
      expect((again.proof as { proofValue: string }).proofValue).toBe(text('eddsa-rdfc-2022', 'sigBTC58DataInt.txt'));
      expect((await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod: resolver })).verified).toBe(true);
    } finally {
      usePureJsEd25519(false);
    }
    const tampered = { ...signed, validFrom: '2023-01-02T00:00:00Z' };
    expect((await verifyProof(tampered, signed.proof, { documentLoader, resolveVerificationMethod: resolver })).verified).toBe(false);
  });

  it('eddsa-rdfc-2022 "employ" vector: hashes → signature layer (its citizenship context is not available offline)', async () => {
    const hashHex = text('eddsa-rdfc-2022', 'employ', 'proofHashDataInt.txt') + text('eddsa-rdfc-2022', 'employ', 'docHashDataInt.txt');
    expect(hashHex).toBe(text('eddsa-rdfc-2022', 'employ', 'combinedHashDataInt.txt'));
    const bytes = Uint8Array.from(hashHex.match(/../g)!.map((h) => parseInt(h, 16)));
    const sig = await key.sign(bytes);
    expect(bytesToHex(sig)).toBe(text('eddsa-rdfc-2022', 'employ', 'sigHexDataInt.txt'));
    expect(base58btc.encode(sig)).toBe(text('eddsa-rdfc-2022', 'employ', 'sigBTC58DataInt.txt'));
  });

  it('eddsa-jcs-2022: canonical forms, hashes, signature and proofValue byte for byte', async () => {
    const config = readFixtureJson<Record<string, unknown>>(TV, 'eddsa-jcs-2022', 'proofConfigJCS.json');
    expect(canonicalizeJcs(unsigned)).toBe(text('eddsa-jcs-2022', 'canonDocJCS.txt'));
    expect(canonicalizeJcs(config)).toBe(text('eddsa-jcs-2022', 'proofCanonJCS.txt'));
    expect(bytesToHex(sha256(new TextEncoder().encode(canonicalizeJcs(unsigned))))).toBe(text('eddsa-jcs-2022', 'docHashJCS.txt'));
    expect(bytesToHex(sha256(new TextEncoder().encode(canonicalizeJcs(config))))).toBe(text('eddsa-jcs-2022', 'proofHashJCS.txt'));
    const signed = await createProof(unsigned, { key, cryptosuite: 'eddsa-jcs-2022', created: config.created as string, proofShape: 'object' });
    const proof = signed.proof as { proofValue: string };
    expect(bytesToHex(base58btc.decode(proof.proofValue))).toBe(text('eddsa-jcs-2022', 'sigHexJCS.txt'));
    expect(proof.proofValue).toBe(text('eddsa-jcs-2022', 'sigBTC58JCS.txt'));
    expect(signed).toEqual(readFixtureJson(TV, 'eddsa-jcs-2022', 'signedJCS.json'));
    const r = await verifyProof(signed, signed.proof, { resolveVerificationMethod: resolver });
    expect(r.verified).toBe(true);
  });

  it('Ed25519Signature2020 signed vector verifies, and fails when tampered', async () => {
    const signed = readFixtureJson<Record<string, unknown>>(TV, 'Ed25519Signature2020', 'signedEdSig.json');
    expect((await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod: resolver })).verified).toBe(true);
    const tampered = { ...signed, name: 'Forged' };
    expect((await verifyProof(tampered, signed.proof, { documentLoader, resolveVerificationMethod: resolver })).verified).toBe(false);
  });

  it('proof sets and proof chains verify (every proof)', async () => {
    for (const file of ['signedProofSet1.json', 'signedProofSet2.json', 'signedProofChain1.json', 'signedProofChain2.json']) {
      const signed = readFixtureJson<Record<string, unknown>>(TV, 'proof-set-chain', file);
      const proofs = (Array.isArray(signed.proof) ? signed.proof : [signed.proof]) as unknown[];
      expect(proofs.length).toBeGreaterThan(0);
      for (const p of proofs) {
        const r = await verifyProof(signed, p, { documentLoader, resolveVerificationMethod: resolver });
        expect(r, `${file}: ${r.message}`).toMatchObject({ verified: true });
        // Changing the signed document breaks every proof in the set or chain.
        const forged = { ...signed, validFrom: '2030-01-01T00:00:00Z' };
        expect((await verifyProof(forged, p, { documentLoader, resolveVerificationMethod: resolver })).verified).toBe(false);
      }
    }
  });
});

describe("1EdTech's Open Badges 3.0 eddsa-rdfc-2022 vector", () => {
  it('reproduces document and proof N-Quads, hashes and proofValue byte for byte', async () => {
    const kp = readFixtureJson<Record<string, string>>('ob3-test-vector', 'ob3-keypair.json');
    const options = readFixtureJson<Record<string, string>>('ob3-test-vector', 'ob3-proof-options.json');
    const expected = readFixtureJson<Record<string, string>>('ob3-test-vector', 'ob3-expected.json');
    const doc = readFixtureJson<Record<string, unknown>>('ob3-test-vector', 'ob3-unsigned.json');
    const obKey = importKey({ secretKeyMultibase: kp.secretKeyMultibase! }, { id: options.verificationMethod, controller: options.verificationMethod!.split('#')[0] });
    expect(obKey.publicKeyMultibase).toBe(kp.publicKeyMultibase);
    const proofConfig = { ...options, '@context': doc['@context'] };
    delete (proofConfig as Record<string, unknown>).proofValue;
    expect(await canonize(proofConfig)).toBe(readFixtureText('ob3-test-vector', 'obv3p0_proof-canon.txt'));
    const signed = await createProof(doc, { key: obKey, created: options.created!, proofShape: 'object' });
    const proofValue = (signed.proof as { proofValue: string }).proofValue;
    expect(proofValue).toBe(expected.proofValue);
    const r = await verifyProof(signed, signed.proof, { resolveVerificationMethod: resolver });
    expect(r).toMatchObject({ verified: true, controller: 'https://example.edu/issuers/565049' });
  });
});
