import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base58btc } from 'multiformats/bases/base58';
import { canonicalizeRdf, createDocumentLoader } from '../src/jsonld';
import { importKey, usePureJsEd25519, type Ed25519Key } from '../src/keys';
import {
  canonicalizeJcs,
  computeHashData,
  createProof,
  localResolver,
  verifyProof,
  verifyProofSet,
  type Proof,
} from '../src/proof';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

type Json = Record<string, unknown>;
const TV = 'w3c-vc-di-eddsa/TestVectors';
// The W3C examples context (https://www.w3.org/ns/credentials/examples/v2) is in neither fixture folder
// (w3c-vc-di-eddsa/contexts, ob3/contexts) nor any installed package; it is this one-line @vocab, and every byte-exact
// canonical form and hash below would fail if it were anything else. Given to the loader here, never bundled.
const examplesContext = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };
const documentLoader = createDocumentLoader({
  contexts: { 'https://www.w3.org/ns/credentials/examples/v2': examplesContext },
});
const text = (...p: string[]) => readFixtureText(TV, ...p).trim();
const hex = (s: string) => bytesToHex(sha256(new TextEncoder().encode(s)));
const keyPair = readFixtureJson<{ publicKeyMultibase: string; privateKeyMultibase: string }>(TV, 'keyPair.json');
const key = importKey({ secretKeyMultibase: keyPair.privateKeyMultibase });
const unsigned = readFixtureJson<Json>(TV, 'unsigned.json');
const resolveVerificationMethod = localResolver();
const withoutContext = ({ '@context': _c, ...rest }: Json): Json => rest;
const proofValueOf = (doc: { proof: Proof | Proof[] }) =>
  (Array.isArray(doc.proof) ? doc.proof.at(-1)! : doc.proof).proofValue!;

describe('W3C vc-di-eddsa v1.0 vectors, through our code', () => {
  it('the key pair round-trips (W3C 32-byte seed form)', () => {
    expect(key.publicKeyMultibase).toBe(keyPair.publicKeyMultibase);
    expect(key.exportSecretKeyMultibase()).toBe(keyPair.privateKeyMultibase);
    expect(key.id).toBe(readFixtureJson<Json>(TV, 'eddsa-rdfc-2022', 'proofConfigDataInt.json').verificationMethod);
  });

  it('eddsa-rdfc-2022: canonical forms, both hashes, combined hash, signature and proofValue byte for byte', async () => {
    const dir = 'eddsa-rdfc-2022';
    const config = readFixtureJson<Json>(TV, dir, 'proofConfigDataInt.json');
    const canonDoc = await canonicalizeRdf(unsigned, { documentLoader });
    const canonProof = await canonicalizeRdf(config, { documentLoader });
    expect(canonDoc).toBe(readFixtureText(TV, dir, 'canonDocDataInt.txt'));
    expect(canonProof).toBe(readFixtureText(TV, dir, 'proofCanonDataInt.txt'));
    expect(hex(canonDoc)).toBe(text(dir, 'docHashDataInt.txt'));
    expect(hex(canonProof)).toBe(text(dir, 'proofHashDataInt.txt'));
    const combined = await computeHashData(unsigned, config, 'eddsa-rdfc-2022', documentLoader);
    expect(bytesToHex(combined)).toBe(text(dir, 'combinedHashDataInt.txt'));
    expect(bytesToHex(await key.sign(combined))).toBe(text(dir, 'sigHexDataInt.txt'));

    const signed = await createProof(unsigned, {
      key,
      cryptosuite: 'eddsa-rdfc-2022',
      created: config.created as string,
      documentLoader,
      proofShape: 'object',
    });
    expect(bytesToHex(base58btc.decode(proofValueOf(signed)))).toBe(text(dir, 'sigHexDataInt.txt'));
    expect(proofValueOf(signed)).toBe(text(dir, 'sigBTC58DataInt.txt'));
    expect(signed).toEqual(readFixtureJson(TV, dir, 'signedDataInt.json'));
    expect(unsigned).not.toHaveProperty('proof'); // the input is not modified
  });

  it('the OB-style array proof (the default shape) carries the same proofValue, and verifies', async () => {
    const signed = await createProof(unsigned, { key, created: '2023-02-24T23:36:38Z', documentLoader });
    expect(Array.isArray(signed.proof)).toBe(true);
    expect(proofValueOf(signed)).toBe(text('eddsa-rdfc-2022', 'sigBTC58DataInt.txt'));
    expect(
      await verifyProof(signed, (signed.proof as Proof[])[0], { documentLoader, resolveVerificationMethod }),
    ).toMatchObject({ verified: true });
    const vector = readFixtureJson<Json>(TV, 'eddsa-rdfc-2022', 'signedDataInt.json');
    const asArray = { ...vector, proof: [vector.proof] };
    expect((await verifyProofSet(asArray, { documentLoader })).verified).toBe(true);
  });

  it('eddsa-rdfc-2022 signed vector verifies; the pure-JS and native Ed25519 paths sign identically', async () => {
    const signed = readFixtureJson<Json>(TV, 'eddsa-rdfc-2022', 'signedDataInt.json');
    const r = await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod });
    expect(r).toMatchObject({
      verified: true,
      cryptosuite: 'eddsa-rdfc-2022',
      controller: `did:key:${keyPair.publicKeyMultibase}`,
      safeModeChecked: true,
    });
    usePureJsEd25519(true);
    let pureKey: Ed25519Key;
    try {
      pureKey = importKey({ secretKeyMultibase: keyPair.privateKeyMultibase });
      const again = await createProof(unsigned, {
        key: pureKey,
        created: '2023-02-24T23:36:38Z',
        documentLoader,
        proofShape: 'object',
      });
      expect(proofValueOf(again)).toBe(text('eddsa-rdfc-2022', 'sigBTC58DataInt.txt'));
      expect((await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod })).verified).toBe(
        true,
      );
    } finally {
      usePureJsEd25519(false);
    }
    const tampered = { ...signed, validFrom: '2023-01-02T00:00:00Z' };
    expect(await verifyProof(tampered, signed.proof, { documentLoader, resolveVerificationMethod })).toMatchObject({
      verified: false,
      code: 'INVALID_SIGNATURE',
    });
  });

  it('eddsa-rdfc-2022 "employ" vector: from the hash layer (its context https://w3id.org/citizenship/v4rc1 is not available offline)', async () => {
    // The document needs the citizenship v4rc1 context, which is in no fixture and no installed package, so its
    // N-Quads cannot be produced here. What can be checked through our code: combined = proofHash ‖ docHash, the
    // canonical proof (its context-free part), and the signature / proofValue from the combined hash.
    const dir = ['eddsa-rdfc-2022', 'employ'];
    const hashHex = text(...dir, 'proofHashDataInt.txt') + text(...dir, 'docHashDataInt.txt');
    expect(hashHex).toBe(text(...dir, 'combinedHashDataInt.txt'));
    expect(hex(readFixtureText(TV, ...dir, 'canonDocDataInt.txt'))).toBe(text(...dir, 'docHashDataInt.txt'));
    expect(hex(readFixtureText(TV, ...dir, 'proofCanonDataInt.txt'))).toBe(text(...dir, 'proofHashDataInt.txt'));
    const sig = await key.sign(hexToBytes(hashHex));
    expect(bytesToHex(sig)).toBe(text(...dir, 'sigHexDataInt.txt'));
    expect(base58btc.encode(sig)).toBe(text(...dir, 'sigBTC58DataInt.txt'));
    const signed = readFixtureJson<{ proof: Proof }>(TV, ...dir, 'signedDataInt.json');
    expect(signed.proof.proofValue).toBe(base58btc.encode(sig));
    // Verifying the signed document fails closed on the missing context, with its own code.
    expect(await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod })).toMatchObject({
      verified: false,
      code: 'UNKNOWN_CONTEXT',
    });
  });

  it('eddsa-jcs-2022: canonical forms, both hashes, combined hash, signature and proofValue byte for byte', async () => {
    const dir = 'eddsa-jcs-2022';
    const config = readFixtureJson<Json>(TV, dir, 'proofConfigJCS.json');
    expect(canonicalizeJcs(unsigned)).toBe(text(dir, 'canonDocJCS.txt'));
    expect(canonicalizeJcs(config)).toBe(text(dir, 'proofCanonJCS.txt'));
    expect(hex(canonicalizeJcs(unsigned))).toBe(text(dir, 'docHashJCS.txt'));
    expect(hex(canonicalizeJcs(config))).toBe(text(dir, 'proofHashJCS.txt'));
    const combined = await computeHashData(unsigned, config, 'eddsa-jcs-2022');
    expect(bytesToHex(combined)).toBe(text(dir, 'combinedHashJCS.txt'));
    const signed = await createProof(unsigned, {
      key,
      cryptosuite: 'eddsa-jcs-2022',
      created: config.created as string,
      proofShape: 'object',
    });
    expect(bytesToHex(base58btc.decode(proofValueOf(signed)))).toBe(text(dir, 'sigHexJCS.txt'));
    expect(proofValueOf(signed)).toBe(text(dir, 'sigBTC58JCS.txt'));
    expect(signed).toEqual(readFixtureJson(TV, dir, 'signedJCS.json'));
    // JCS needs no JSON-LD at all: no loader is passed, and the examples context is never looked up.
    expect(await verifyProof(signed, signed.proof, { resolveVerificationMethod })).toMatchObject({
      verified: true,
      cryptosuite: 'eddsa-jcs-2022',
    });
  });

  it('eddsa-jcs-2022: the document @context must start with the proof @context (§3.3.2)', async () => {
    const signed = readFixtureJson<Json & { proof: Proof }>(TV, 'eddsa-jcs-2022', 'signedJCS.json');
    const ctx = signed['@context'] as string[];
    const reordered = { ...signed, '@context': [...ctx].reverse() };
    expect(await verifyProof(reordered, signed.proof)).toMatchObject({ verified: false, code: 'INVALID_SIGNATURE' });
    // A context appended after the signed ones is allowed by the rule and replaced by the proof's before hashing.
    const extended = { ...signed, '@context': [...ctx, 'https://w3id.org/security/data-integrity/v2'] };
    expect((await verifyProof(extended, signed.proof)).verified).toBe(true);
    const proofWithoutContext = withoutContext(signed.proof);
    expect((await verifyProof(signed, proofWithoutContext)).verified).toBe(false);
  });

  it('Ed25519Signature2020: hashes and signature reproduced, the signed vector verifies and fails when tampered', async () => {
    const dir = 'Ed25519Signature2020';
    const signed = readFixtureJson<Json & { proof: Proof }>(TV, dir, 'signedEdSig.json');
    const config = readFixtureJson<Json>(TV, dir, 'proofConfigEdSig.json');
    const { proof: _p, ...doc } = signed;
    expect(await canonicalizeRdf(doc, { documentLoader })).toBe(readFixtureText(TV, dir, 'canonDocEdSig.txt'));
    expect(await canonicalizeRdf(config, { documentLoader })).toBe(readFixtureText(TV, dir, 'proofCanonEdSig.txt'));
    const combined = await computeHashData(doc, config, 'rdfc', documentLoader);
    expect(bytesToHex(combined)).toBe(text(dir, 'combinedHashEdSig.txt'));
    const sig = await key.sign(combined);
    expect(bytesToHex(sig)).toBe(text(dir, 'sigHexEdSig.txt'));
    expect(base58btc.encode(sig)).toBe(signed.proof.proofValue);
    expect(await verifyProof(signed, signed.proof, { documentLoader, resolveVerificationMethod })).toMatchObject({
      verified: true,
      cryptosuite: 'Ed25519Signature2020',
    });
    const tampered = { ...signed, name: 'Forged' };
    expect((await verifyProof(tampered, signed.proof, { documentLoader, resolveVerificationMethod })).verified).toBe(
      false,
    );
  });
});

describe('W3C proof sets and proof chains', () => {
  const PSC = 'proof-set-chain';
  const keys = readFixtureJson<Record<string, { privateKeyMultibase: string }>>(TV, PSC, 'multiKeyPairs.json');
  const k = (n: number) => importKey({ secretKeyMultibase: keys[`keyPair${n}`]!.privateKeyMultibase });
  const base = readFixtureJson<Json>(TV, PSC, 'unsigned.json');

  it('the proof set and the four-proof chain (previousProof as a list, then as a string) are reproduced byte for byte', async () => {
    const expected = readFixtureJson<Json & { proof: Proof[] }>(TV, PSC, 'signedProofChain2.json');
    const [p1, p2, p3, p4] = expected.proof as [Proof, Proof, Proof, Proof];
    let doc: Json = base;
    doc = await createProof(doc, { key: k(1), id: p1.id, created: p1.created, documentLoader });
    doc = await createProof(doc, { key: k(2), id: p2.id, created: p2.created, documentLoader });
    expect(doc).toEqual(readFixtureJson(TV, PSC, 'signedProofSet2.json'));
    doc = await createProof(doc, {
      key: k(3),
      id: p3.id,
      created: p3.created,
      previousProof: p3.previousProof,
      documentLoader,
    });
    expect(doc).toEqual(readFixtureJson(TV, PSC, 'signedProofChain1.json'));
    doc = await createProof(doc, { key: k(4), created: p4.created, previousProof: p4.previousProof, documentLoader });
    expect(doc).toEqual(expected);
  });

  it('verifyProofSet: every set and chain vector verifies', async () => {
    for (const file of [
      'signedProofSet1.json',
      'signedProofSet2.json',
      'signedProofChain1.json',
      'signedProofChain2.json',
    ]) {
      const signed = readFixtureJson<Json>(TV, PSC, file);
      const r = await verifyProofSet(signed, { documentLoader });
      expect(r.verified, `${file}: ${r.message}`).toBe(true);
      expect(r.results.length).toBe(Array.isArray(signed.proof) ? signed.proof.length : 1);
      // Changing the signed document breaks every proof in the set or chain.
      const forged = await verifyProofSet({ ...signed, validFrom: '2030-01-01T00:00:00Z' }, { documentLoader });
      expect(forged.verified).toBe(false);
      expect(forged.results.every((x) => !x.verified)).toBe(true);
    }
  });

  it('a chain link signs over the proofs it names: a forged earlier proof breaks it, a missing one is reported', async () => {
    const chain = readFixtureJson<Json & { proof: Proof[] }>(TV, PSC, 'signedProofChain2.json');
    // Proof order does not matter in a set.
    expect((await verifyProofSet({ ...chain, proof: [...chain.proof].reverse() }, { documentLoader })).verified).toBe(
      true,
    );
    // Proof 1's proofValue is replaced by proof 2's: proof 1 fails, and so does proof 3, which signed over proof 1.
    const forged = structuredClone(chain);
    forged.proof[0]!.proofValue = chain.proof[1]!.proofValue;
    const r = await verifyProofSet(forged, { documentLoader });
    expect(r.results.map((x) => x.verified)).toEqual([false, true, false, true]);
    // Dropping proof 3 leaves proof 4 pointing at nothing.
    const dropped = { ...chain, proof: chain.proof.filter((_, i) => i !== 2) };
    const d = await verifyProofSet(dropped, { documentLoader });
    expect(d.verified).toBe(false);
    expect(d.results[2]).toMatchObject({ verified: false, code: 'PREVIOUS_PROOF_MISSING' });
    expect(d.results[2]!.message).toMatch(/previousProof/);
    // Duplicated proof ids make previousProof ambiguous.
    expect(
      (await verifyProofSet({ ...chain, proof: [...chain.proof, chain.proof[0]] }, { documentLoader })).verified,
    ).toBe(false);
    expect(await verifyProofSet({ ...chain, proof: [] })).toMatchObject({ verified: false, code: 'INVALID_INPUT' });
  });
});

describe("1EdTech's Open Badges 3.0 eddsa-rdfc-2022 vector", () => {
  const OB = 'ob3-test-vector';
  const kp = readFixtureJson<Record<string, string>>(OB, 'ob3-keypair.json');
  const options = readFixtureJson<Record<string, string>>(OB, 'ob3-proof-options.json');
  const expected = readFixtureJson<Record<string, string>>(OB, 'ob3-expected.json');
  const doc = readFixtureJson<Json>(OB, 'ob3-unsigned.json');

  it('reproduces document and proof N-Quads, both hashes, data to sign, signature and proofValue byte for byte', async () => {
    // The key is in the legacy 64-byte (seed ‖ public key) secret form; its VM is the issuer URL + '#' + the key.
    const obKey = importKey({ secretKeyMultibase: kp.secretKeyMultibase! }, { controller: kp.controller });
    expect(obKey.publicKeyMultibase).toBe(kp.publicKeyMultibase);
    expect(bytesToHex(obKey.publicKey)).toBe(kp.publicKeyHex);
    expect(obKey.id).toBe(options.verificationMethod);
    const proofConfig = { ...options, '@context': doc['@context'] };
    const canonDoc = await canonicalizeRdf(doc);
    const canonProof = await canonicalizeRdf(proofConfig);
    expect(canonDoc).toBe(readFixtureText(OB, 'obv3p0_document-canon.txt'));
    expect(canonProof).toBe(readFixtureText(OB, 'obv3p0_proof-canon.txt'));
    expect(hex(canonDoc)).toBe(expected.documentHashHex);
    expect(hex(canonProof)).toBe(expected.proofHashHex);
    const hashData = await computeHashData(doc, proofConfig, 'eddsa-rdfc-2022');
    expect(bytesToHex(hashData)).toBe(expected.dataToSignHex);
    expect(bytesToHex(await obKey.sign(hashData))).toBe(expected.signatureHex);

    // Through createProof, in the array shape OB 3.0's schema wants (the proof is removed before hashing).
    const signed = await createProof(doc, { key: obKey, created: options.created! });
    expect(signed.proof).toEqual([{ ...options, proofValue: expected.proofValue }]);
    // The vector's key is named in an https fragment (1EdTech's convention): valid, under an unconfirmed key.
    const fragmentKeys = localResolver({ acceptUnconfirmedFragmentKeys: true });
    const r = await verifyProof(signed, (signed.proof as Proof[])[0], { resolveVerificationMethod: fragmentKeys });
    expect(r).toMatchObject({ verified: true, controller: 'https://example.edu/issuers/565049', keyUnconfirmed: true });
  });

  it("the spec's signed copy of the vector verifies", async () => {
    const signed = readFixtureJson<Json & { proof: Proof[] }>(
      'ob3',
      'spec-signed',
      'impl-guide_test-vector_signed-credential_eddsa-rdfc-2022.json',
    );
    const r = await verifyProofSet(signed, {
      resolveVerificationMethod: localResolver({ acceptUnconfirmedFragmentKeys: true }),
    });
    expect(r.verified, r.message).toBe(true);
    expect(r.results[0]).toMatchObject({ controller: (signed.issuer as Json).id, keyUnconfirmed: true });
  });
});
