// The same checks run in Node (node:crypto) and in Chromium (WebCrypto, or noble when WebCrypto is taken away), so
// that test/browser-native.test.ts can demand identical results, byte for byte, from every path.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { issue, verify } from '../../src/index';
import { createDocumentLoader } from '../../src/jsonld';
import { importKey } from '../../src/keys';
import { computeHashData, createProof, localResolver, verifyProof, verifyProofSet, type Proof } from '../../src/proof';
import { ed25519PathsTaken, sha256PathsTaken } from '../../src/platform/paths-taken';

type Json = Record<string, unknown>;

export interface NativeCheckInputs {
  keyPair: { publicKeyMultibase: string; privateKeyMultibase: string };
  unsigned: Json;
  rdfcConfig: Json;
  jcsConfig: Json;
  rdfcSigned: Json & { proof: Proof };
  jcsSigned: Json & { proof: Proof };
  proofSets: Record<string, Json>;
  /** An unsigned seed micro-credential whose issuer is the key pair's did:key. */
  seed: Json;
}

/** Ed25519 group order L (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const toBigLE = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const fromBigLE = (n: bigint, length: number) => {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
};

const proofValueOf = (doc: { proof?: unknown }) => {
  const p = doc.proof as Proof | Proof[];
  return (Array.isArray(p) ? p.at(-1)! : p).proofValue!;
};

export async function runNativeChecks(input: NativeCheckInputs) {
  const before = { ed25519: ed25519PathsTaken(), sha256: sha256PathsTaken() };
  const documentLoader = createDocumentLoader({
    contexts: {
      'https://www.w3.org/ns/credentials/examples/v2': {
        '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
      },
    },
  });
  const resolveVerificationMethod = localResolver();
  const key = importKey({ secretKeyMultibase: input.keyPair.privateKeyMultibase });
  const publicOnly = importKey({ publicKeyMultibase: input.keyPair.publicKeyMultibase });

  const rdfcHash = await computeHashData(input.unsigned, input.rdfcConfig, 'eddsa-rdfc-2022', documentLoader);
  const jcsHash = await computeHashData(input.unsigned, input.jcsConfig, 'eddsa-jcs-2022', documentLoader);
  const rdfcSignature = await key.sign(rdfcHash);
  const rdfcCreated = await createProof(input.unsigned, {
    key,
    cryptosuite: 'eddsa-rdfc-2022',
    created: input.rdfcConfig.created as string,
    documentLoader,
    proofShape: 'object',
  });
  const jcsCreated = await createProof(input.unsigned, {
    key,
    cryptosuite: 'eddsa-jcs-2022',
    created: input.jcsConfig.created as string,
    documentLoader,
    proofShape: 'object',
  });
  const verdict = async (doc: Json & { proof: Proof }) => {
    const r = await verifyProof(doc, doc.proof, { documentLoader, resolveVerificationMethod });
    return { verified: r.verified, code: (r as { code?: string }).code ?? null };
  };
  const tamperedRdfc = { ...input.rdfcSigned, validFrom: '2023-01-02T00:00:00Z' };
  const tamperedJcs = { ...input.jcsSigned, validFrom: '2023-01-02T00:00:00Z' };

  // Signatures every Ed25519 implementation must refuse (RFC 8032 §5.1.7): one bit flipped, and S + L (the same
  // signature with a non-canonical S, which a lenient implementation would accept).
  const flipped = rdfcSignature.slice();
  flipped[5]! ^= 0x10;
  const sPlusL = rdfcSignature.slice();
  sPlusL.set(fromBigLE(toBigLE(rdfcSignature.slice(32)) + L, 32), 32);
  const ed25519Verdicts = {
    valid: await publicOnly.verify(rdfcHash, rdfcSignature),
    flipped: await publicOnly.verify(rdfcHash, flipped),
    sPlusL: await publicOnly.verify(rdfcHash, sPlusL),
    otherMessage: await publicOnly.verify(hexToBytes('00'), rdfcSignature),
    shortSignature: await publicOnly.verify(rdfcHash, rdfcSignature.slice(0, 63)),
  };

  const proofSets: Record<string, boolean> = {};
  for (const [name, doc] of Object.entries(input.proofSets))
    proofSets[name] = (await verifyProofSet(doc, { documentLoader })).verified;

  const seed: Record<string, { signed: string; verified: boolean; checks: string[] }> = {};
  for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
    const signed = await issue(input.seed as never, { key, format, created: '2024-01-26T10:00:00Z' });
    const report = await verify(signed);
    seed[format] = {
      signed: JSON.stringify(signed),
      verified: report.verified,
      checks: report.checks.map((c) => `${c.check}:${c.status}`),
    };
  }

  const after = { ed25519: ed25519PathsTaken(), sha256: sha256PathsTaken() };
  const delta = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]));
  return {
    rdfcHashHex: bytesToHex(rdfcHash),
    jcsHashHex: bytesToHex(jcsHash),
    rdfcSignatureHex: bytesToHex(rdfcSignature),
    rdfcProofValue: proofValueOf(rdfcCreated),
    rdfcCreated: JSON.stringify(rdfcCreated),
    jcsProofValue: proofValueOf(jcsCreated),
    jcsCreated: JSON.stringify(jcsCreated),
    vectorVerdicts: {
      rdfc: await verdict(input.rdfcSigned),
      jcs: await verdict(input.jcsSigned),
      rdfcTampered: await verdict(tamperedRdfc),
      jcsTampered: await verdict(tamperedJcs),
    },
    ed25519Verdicts,
    proofSets,
    seed,
    /** Which implementations ran during the checks. */
    paths: { ed25519: delta(before.ed25519, after.ed25519), sha256: delta(before.sha256, after.sha256) },
  };
}

export type NativeCheckResult = Awaited<ReturnType<typeof runNativeChecks>>;
