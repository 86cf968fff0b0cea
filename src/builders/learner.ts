import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256Hex } from '../platform/node-crypto';
import type { IdentifierType, IdentityObject } from '../model/ob';
import type { LearnerIdentifiers, LearnerInput } from './inputs';
import { isAbsoluteIri, type ProblemCollector } from './problems';

export interface EncodedLearner {
  id?: string;
  identifier?: IdentityObject[];
}

const IDENTITY_TYPES: [keyof LearnerIdentifiers, IdentifierType][] = [
  ['email', 'emailAddress'],
  ['studentId', 'sisSourcedId'],
  ['nationalId', 'nationalIdentityNumber'],
  ['name', 'name'],
];

/**
 * Annex I element 1, identification of the learner. A DID/URL becomes `credentialSubject.id`; other identifiers become
 * OB `IdentityObject`s, salted and hashed by default (`sha256$` + hex of SHA-256 over identifier ‖ salt), so the credential
 * does not publish the learner's email or student number while the learner can still prove they match.
 */
export function encodeLearner(
  input: LearnerInput,
  path: string,
  problems: ProblemCollector,
  randomSalt: () => string = defaultSalt,
): EncodedLearner {
  if (typeof input === 'string') {
    if (!isAbsoluteIri(input)) {
      problems.invalid(
        path,
        `a learner given as a string must be a DID or URL; use { email } or { studentId } for other identifiers`,
      );
      return {};
    }
    return { id: input };
  }
  if (typeof input !== 'object' || input === null) {
    problems.missing(path, 'identification of the learner (element 1) is required');
    return {};
  }
  const out: EncodedLearner = {};
  if (input.id !== undefined) {
    if (typeof input.id !== 'string' || !isAbsoluteIri(input.id))
      problems.invalid(`${path}.id`, 'learner id must be a DID or URL');
    else out.id = input.id;
  }
  const hashed = input.hashed ?? true;
  // A caller's salt is usually the learner's own (one per learner, kept by the register), so that the hashes are
  // equal across that learner's credentials and a stack can be linked without the plain identifier (docs/stacks.md).
  if (input.salt !== undefined && (typeof input.salt !== 'string' || input.salt.length < 8)) {
    problems.invalid(
      `${path}.salt`,
      'a salt must be a string of at least 8 characters (use newLearnerSalt() for one per learner)',
    );
  }
  const salt = input.salt ?? (hashed ? randomSalt() : undefined);
  const identifiers: IdentityObject[] = [];
  for (const [key, identityType] of IDENTITY_TYPES) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.invalid(`${path}.${key}`, `${key} must be a non-empty string`);
      continue;
    }
    const plain = value.trim();
    if (key === 'email' && !/^[^\s@]+@[^\s@]+$/.test(plain))
      problems.invalid(`${path}.email`, `not an email address: ${JSON.stringify(plain)}`);
    identifiers.push(
      hashed
        ? { type: 'IdentityObject', identityHash: hashIdentity(plain, salt!), identityType, hashed: true, salt: salt! }
        : { type: 'IdentityObject', identityHash: plain, identityType, hashed: false },
    );
  }
  if (input.identityObjects !== undefined) {
    if (!Array.isArray(input.identityObjects))
      problems.invalid(`${path}.identityObjects`, 'identity objects must be a list');
    else
      input.identityObjects.forEach((o: unknown, i: number) => {
        const given = checkIdentityObject(o);
        if (given) identifiers.push(given);
        else
          problems.invalid(
            `${path}.identityObjects[${i}]`,
            'an identity object is { type: "IdentityObject", identityHash, identityType, hashed, salt? }',
          );
      });
  }
  if (identifiers.length) out.identifier = identifiers;
  if (out.id === undefined && identifiers.length === 0) {
    problems.missing(
      path,
      'identification of the learner (element 1): give a DID/URL, email, studentId, nationalId or name',
    );
  }
  return out;
}

/** An identity object given whole, copied field by field (nothing else it carries is kept), or undefined when malformed. */
function checkIdentityObject(value: unknown): IdentityObject | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (
    o.type !== 'IdentityObject' ||
    typeof o.identityHash !== 'string' ||
    o.identityHash === '' ||
    typeof o.identityType !== 'string' ||
    typeof o.hashed !== 'boolean'
  )
    return undefined;
  if (o.salt !== undefined && typeof o.salt !== 'string') return undefined;
  return {
    type: 'IdentityObject',
    identityHash: o.identityHash,
    identityType: o.identityType as IdentifierType,
    hashed: o.hashed,
    ...(typeof o.salt === 'string' ? { salt: o.salt } : {}),
  };
}

/** OB 3.0 `identityHash` for a hashed identifier. */
export function hashIdentity(identifier: string, salt: string): string {
  return `sha256$${sha256Hex(identifier + salt)}`;
}

/** Does `identifier` match this IdentityObject? (OB verification step 5, the optional recipient check.) */
export function matchesIdentity(identity: IdentityObject, identifier: string): boolean {
  if (!identity.hashed) return identity.identityHash === identifier;
  const [alg, hex] = identity.identityHash.split('$');
  if (alg?.toLowerCase() !== 'sha256' || hex === undefined) return false;
  return hashIdentity(identifier, identity.salt ?? '').slice('sha256$'.length) === hex.toLowerCase();
}

/**
 * A fresh random salt (128 bits, hex) to keep for one learner and pass as `learner.salt` to every award of theirs:
 * their identity hashes are then equal across their credentials (and differ from everyone else's), so a verifier can
 * tell a programme and its parts belong to one person without being told who. See docs/stacks.md for the trade-off.
 */
export function newLearnerSalt(): string {
  return defaultSalt();
}

/**
 * Salts are cut from a pool of random bytes filled 4 KB at a time (as node:crypto's randomUUID does): one
 * getRandomValues call costs about as much as a salt's hashing, and a roster needs one salt per learner. Each byte
 * of the pool is handed out once.
 */
const SALT_BYTES = 16;
const saltPool = new Uint8Array(4096);
let saltOffset = saltPool.length;
function defaultSalt(): string {
  if (saltOffset + SALT_BYTES > saltPool.length) {
    globalThis.crypto.getRandomValues(saltPool);
    saltOffset = 0;
  }
  const salt = bytesToHex(saltPool.subarray(saltOffset, saltOffset + SALT_BYTES));
  // Zeroed once used, so a byte of a salt never lingers in the pool for a later reader of it.
  saltPool.fill(0, saltOffset, saltOffset + SALT_BYTES);
  saltOffset += SALT_BYTES;
  return salt;
}
