import fs from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { MicrocredError } from '../errors';

/**
 * How the register links a learner across re-runs without keeping the learner's identifier in a guessable form.
 *
 * The register's learner reference is an HMAC-SHA-256, keyed with a 32-byte workspace secret (file mode 0600,
 * beside the signing key), over the identifier's type and value. Without the secret, a copy of the register
 * cannot be searched by trying every student number or national ID (an unkeyed salted hash with a stored salt
 * can: a national ID fell to brute force in 28 s). With it, the registrar finds a learner's credentials by typing
 * the identifier again. The credential itself still carries OB 3.0 IdentityObjects (salted SHA-256 with a public
 * salt), which the learner opens by showing the identifier; see docs/privacy.md for what that does and does not hide.
 */

/** The identifier that makes a roster row one learner. A name alone never is one. */
export interface LearnerIdentity {
  type: 'did' | 'email' | 'studentId' | 'nationalId';
  value: string;
}

/**
 * The identities a learner's identifier typed by a registrar may be: an email, a DID/URL, or (anything else) a
 * student ID or a national ID, which look alike and are both tried.
 */
export function identitiesFor(who: string): LearnerIdentity[] {
  if (/^[^\s@:]+@[^\s@]+$/.test(who)) return [{ type: 'email', value: who }];
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(who)) return [{ type: 'did', value: who }];
  return [
    { type: 'studentId', value: who },
    { type: 'nationalId', value: who },
  ];
}

export const IDENTITY_SECRET_BYTES = 32;

/** The content of a new workspace secret file (the workspace writes it once, never over another). */
export function newIdentitySecret(): string {
  return randomBytes(IDENTITY_SECRET_BYTES).toString('base64url') + '\n';
}

export function readIdentitySecret(file: string): Uint8Array {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new MicrocredError(
      'INVALID_KEY',
      `The workspace's learner-linking secret ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); restore it from your backup — without it, learners already issued cannot be recognised`,
      { cause: e },
    );
  }
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length !== IDENTITY_SECRET_BYTES)
    throw new MicrocredError(
      'INVALID_KEY',
      `The learner-linking secret ${file} is damaged (expected ${IDENTITY_SECRET_BYTES} bytes)`,
    );
  return new Uint8Array(bytes);
}

/** Unicode NFC and trimmed: the same text typed on two systems gives the same reference. Case is kept (see docs/privacy.md). */
export function normalizeIdentifier(value: string): string {
  return value.normalize('NFC').trim();
}

/** The register's learner reference: `learner:` + 32 hex digits of HMAC-SHA-256(secret, [type, value]). */
export function learnerReference(secret: Uint8Array, identity: LearnerIdentity): string {
  const mac = createHmac('sha256', secret)
    .update(JSON.stringify([identity.type, normalizeIdentifier(identity.value)]))
    .digest('hex');
  return `learner:${mac.slice(0, 32)}`;
}

/**
 * A masked hint for listings, enough for a registrar to recognise a row but not to read the identifier off a
 * screen or a log: `m***@example.ee`, `S-0***1`, `did:key:z6Mk…x2Q`. Control characters never pass.
 */
export function learnerLabel(identity: LearnerIdentity): string {
  const v = normalizeIdentifier(identity.value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const chars = [...v];
  if (identity.type === 'did')
    return chars.length > 24 ? `${chars.slice(0, 14).join('')}…${chars.slice(-3).join('')}` : v;
  if (identity.type === 'email') {
    const at = v.lastIndexOf('@');
    const local = [...v.slice(0, at)];
    return `${local[0] ?? ''}***${v.slice(at)}`;
  }
  if (chars.length <= 3) return `${identity.type} ***`;
  return `${identity.type} ${chars[0]}${chars.length > 6 ? chars[1] : ''}***${chars[chars.length - 1]}`;
}
