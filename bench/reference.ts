/**
 * The reference stack (@digitalbazaar/vc with Data Integrity eddsa-rdfc-2022 / eddsa-jcs-2022) wired to this library's
 * offline document loader, so both sides of a comparison resolve exactly the same contexts with no network.
 * Shared by the interop tests and the benchmark.
 */
// The reference packages ship no type declarations; their call shapes are documented in their READMEs.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
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
// @ts-expect-error untyped
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { createDocumentLoader, type DocumentLoader } from '../src/jsonld/loader';
import type { Ed25519Key, issue, verify } from '../src/index';

export type ReferenceSuite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022';

interface MultikeyPair {
  id: string;
  controller: string;
  publicKeyMultibase: string;
  signer(): unknown;
  export(options: {
    publicKey: boolean;
    secretKey?: boolean;
    includeContext?: boolean;
  }): Promise<Record<string, unknown>>;
}

/** A did:key-aware offline loader: DID documents for did:key are derived locally, everything else comes from ours. */
export function referenceLoader(base: DocumentLoader = createDocumentLoader()): DocumentLoader {
  return async (url: string) => {
    if (url.startsWith('did:key:')) {
      const [did, fragment] = url.split('#') as [string, string | undefined];
      const multibase = did.slice('did:key:'.length);
      const key = (await Ed25519Multikey.from({
        id: `${did}#${multibase}`,
        controller: did,
        publicKeyMultibase: multibase,
        type: 'Multikey',
      })) as MultikeyPair;
      const vm = await key.export({ publicKey: true, includeContext: true });
      if (fragment) return { contextUrl: null, documentUrl: url, document: vm };
      return {
        contextUrl: null,
        documentUrl: url,
        document: {
          '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
          id: did,
          verificationMethod: [{ ...vm, '@context': undefined }],
          assertionMethod: [vm.id],
          authentication: [vm.id],
        },
      };
    }
    return base(url);
  };
}

export interface ReferenceIssuer {
  did: string;
  verificationMethod: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
  issue(credential: object, suite?: ReferenceSuite): Promise<Record<string, unknown>>;
}

/** A reference issuer with a did:key controller; pass a secret key multibase to share a key with our side. */
export async function referenceIssuer(seed?: {
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}): Promise<ReferenceIssuer> {
  let key: MultikeyPair;
  if (seed) {
    const did = `did:key:${seed.publicKeyMultibase}`;
    key = (await Ed25519Multikey.from({
      id: `${did}#${seed.publicKeyMultibase}`,
      controller: did,
      type: 'Multikey',
      ...seed,
    })) as MultikeyPair;
  } else {
    key = (await Ed25519Multikey.generate()) as MultikeyPair;
    const did = `did:key:${key.publicKeyMultibase}`;
    key.controller = did;
    key.id = `${did}#${key.publicKeyMultibase}`;
  }
  const exported = await key.export({ publicKey: true, secretKey: true });
  const documentLoader = referenceLoader();
  return {
    did: key.controller,
    verificationMethod: key.id,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: exported.secretKeyMultibase as string,
    async issue(credential, suite = 'eddsa-rdfc-2022') {
      const proofSuite =
        suite === 'eddsa-rdfc-2022'
          ? new DataIntegrityProof({ signer: key.signer(), cryptosuite: rdfcSuite })
          : new DataIntegrityProof({ signer: key.signer(), cryptosuite: jcsSignSuite() });
      return vc.issue({ credential: structuredClone(credential), suite: proofSuite, documentLoader });
    },
  };
}

/** Verifies with the reference stack; `verified` plus the first error message for diagnostics. */
export async function referenceVerify(
  credential: object,
  suite: ReferenceSuite = 'eddsa-rdfc-2022',
): Promise<{ verified: boolean; error?: string }> {
  const proofSuite = new DataIntegrityProof({
    cryptosuite: suite === 'eddsa-rdfc-2022' ? rdfcSuite : jcsVerifySuite(),
  });
  const result = (await vc.verifyCredential({ credential, suite: proofSuite, documentLoader: referenceLoader() })) as {
    verified: boolean;
    error?: { errors?: { message?: string }[]; message?: string };
  };
  const error = result.error?.errors?.[0]?.message ?? result.error?.message;
  return { verified: result.verified, ...(error ? { error } : {}) };
}

/**
 * A credential signed by each side, after each side has verified the other's signature: before that, neither side's
 * speed means anything. `ours` is our library as the caller loaded it (a benchmark may load another checkout's);
 * `label` names the credential in the error.
 */
export async function signedBothWays(
  ours: { issue: typeof issue; verify: typeof verify; key: Ed25519Key },
  ref: ReferenceIssuer,
  credential: object,
  suite: ReferenceSuite,
  label: string,
): Promise<{ ours: object; reference: object }> {
  const oursSigned = (await ours.issue(credential, { key: ours.key, format: suite })) as object;
  const reference = await ref.issue(credential, suite);
  if (!(await referenceVerify(oursSigned, suite)).verified || !(await ours.verify(reference)).verified)
    throw new Error(`${label}: interop broken`);
  return { ours: oursSigned, reference };
}
