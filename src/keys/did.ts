import { MicrocredError } from '../errors';
import { tryDecodePublicKeyMultibase, type Ed25519Key } from './multikey';
import { show } from './show';

const DID_CONTEXTS = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'];

/** A DID document as `didKeyDocument` and `didWebDocument` make it (one Multikey verification method). */
export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: {
    id: string;
    type: string;
    controller: string;
    publicKeyMultibase?: string;
    publicKeyJwk?: Record<string, unknown>;
  }[];
  assertionMethod: string[];
  authentication?: string[];
}

/**
 * The DID document of a `did:key` (Ed25519), derived locally: no resolution, no network.
 * Takes the key's `publicKeyMultibase` (`z6Mk…`), its `did:key:z6Mk…`, or a DID URL with a fragment.
 */
export function didKeyDocument(didOrPublicKeyMultibase: string): DidDocument {
  const input = typeof didOrPublicKeyMultibase === 'string' ? didOrPublicKeyMultibase : '';
  const multibase = input.startsWith('did:key:') ? input.slice('did:key:'.length).split('#')[0]! : input;
  if (!tryDecodePublicKeyMultibase(multibase))
    throw new MicrocredError('INVALID_KEY', `Not an Ed25519 did:key: ${show(didOrPublicKeyMultibase)}`);
  const id = `did:key:${multibase}`;
  const vmId = `${id}#${multibase}`;
  return {
    '@context': DID_CONTEXTS,
    id,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: id, publicKeyMultibase: multibase }],
    assertionMethod: [vmId],
    authentication: [vmId],
  };
}

/**
 * The DID document to host for a `did:web` issuer whose signing key is `key`: put it at `didWebUrl(did)`.
 * The key's verification method id becomes `<did>#<publicKeyMultibase>`.
 */
export function didWebDocument(key: Pick<Ed25519Key, 'publicKeyMultibase'>, did: string): DidDocument {
  didWebUrl(did); // validates
  const vmId = `${did}#${key.publicKeyMultibase}`;
  return {
    '@context': DID_CONTEXTS,
    id: did,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: key.publicKeyMultibase }],
    assertionMethod: [vmId],
    authentication: [vmId],
  };
}

/**
 * Where a did:web document lives (did:web method spec §3.2): `did:web:example.edu:issuers:1` →
 * `https://example.edu/issuers/1/did.json`; without a path, `https://example.edu/.well-known/did.json`; a port is
 * written `%3A` (`did:web:localhost%3A8443`). A path segment may not be a dot segment (`..`, `%2e%2e`), which URL
 * parsers collapse: the URL must be the one the DID names, not a neighbour's.
 */
export function didWebUrl(did: string): string {
  if (typeof did !== 'string' || !/^did:web:[^:#?/]+(:[^:#?/]+)*$/.test(did))
    throw new MicrocredError('INVALID_INPUT', `Not a did:web identifier: ${show(did)}`);
  const [host, ...path] = did.slice('did:web:'.length).split(':');
  const authority = decodeComponent(host!, did);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(authority) || authority.startsWith('.') || authority.includes('..')) {
    throw new MicrocredError('INVALID_INPUT', `Bad did:web host: ${authority}`);
  }
  // The path stays as written (the spec decodes only the port's colon); decoding is only for the check, since URL
  // parsers treat `%2e%2e` as `..`.
  // Segments are DID idchars (ALPHA / DIGIT / . / - / _ / pct-encoded, DID Core §3.1).
  if (path.some((p) => !/^([A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+$/.test(p) || /^\.{1,2}$/.test(decodeComponent(p, did))))
    throw new MicrocredError('INVALID_INPUT', `Bad did:web path in ${did}`);
  return path.length ? `https://${authority}/${path.join('/')}/did.json` : `https://${authority}/.well-known/did.json`;
}

function decodeComponent(text: string, did: string): string {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `Bad percent-encoding in ${did}`, { cause: e });
  }
}

/** A verification method id split into its controller (DID or URL) and fragment. */
export interface ParsedVerificationMethod {
  /** The verification method id as written. */
  id: string;
  /** The part before `#`: the DID or URL that claims to control the key (confirmed only by its document, or did:key). */
  controller: string;
  fragment?: string;
  method: 'did:key' | 'did:web' | 'did:other' | 'https' | 'other';
  /** The public key, when the id itself proves it: did:key only. */
  publicKeyMultibase?: string;
  /**
   * An https id whose fragment is an Ed25519 key (`https://example.edu/issuers/1#z6Mk…`, 1EdTech's convention): the
   * key named in the fragment. Nothing ties it to the URL before `#` (anyone can write any URL there), so it is not a
   * key of that controller until the controller's document lists it. See docs/security.md.
   */
  fragmentKeyMultibase?: string;
}

/**
 * Splits a verification method id. did:key keys decode locally (the id is the key). An https id with a key as
 * fragment (1EdTech's `https://example.edu/issuers/565049#z6Mk…` convention) gives that key as `fragmentKeyMultibase`
 * only: it is an unconfirmed claim, never `publicKeyMultibase`.
 */
export function parseVerificationMethodId(vmId: string): ParsedVerificationMethod {
  if (typeof vmId !== 'string' || vmId === '')
    throw new MicrocredError('INVALID_KEY', 'verificationMethod must be a non-empty string');
  const hash = vmId.indexOf('#');
  const controller = hash >= 0 ? vmId.slice(0, hash) : vmId;
  const fragment = hash >= 0 ? vmId.slice(hash + 1) : undefined;
  if (controller.startsWith('did:key:')) {
    const multibase = controller.slice('did:key:'.length);
    if (!tryDecodePublicKeyMultibase(multibase))
      throw new MicrocredError('INVALID_KEY', `Not an Ed25519 did:key: ${controller}`);
    if (fragment !== undefined && fragment !== multibase)
      throw new MicrocredError('INVALID_KEY', 'did:key fragment does not match the key');
    return {
      id: vmId,
      controller,
      ...(fragment ? { fragment } : {}),
      method: 'did:key',
      publicKeyMultibase: multibase,
    };
  }
  const fragmentKey = fragment && tryDecodePublicKeyMultibase(fragment) ? fragment : undefined;
  const method = controller.startsWith('did:web:')
    ? 'did:web'
    : controller.startsWith('did:')
      ? 'did:other'
      : /^https:\/\//.test(controller)
        ? 'https'
        : 'other';
  return {
    id: vmId,
    controller,
    ...(fragment ? { fragment } : {}),
    method,
    ...(fragmentKey && method === 'https' ? { fragmentKeyMultibase: fragmentKey } : {}),
  };
}
