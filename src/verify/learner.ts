import { matchesIdentity } from '../builders/learner';
import type { IdentityObject } from '../model/ob';
import type { VerificationReport } from './report';

/**
 * Whether the credential was issued to this person: `identifier` is what the verifier knows (an e-mail address,
 * student number, national id, DID or URL), compared with the subject's id and, through the credential's salted
 * hashes, with each of its identifiers. `'cannot-tell'` when the proof does not hold (nothing in the credential is
 * fact then) or the credential names its learner by nothing comparable. An e-mail address is also tried in lower
 * case, since issuers commonly hash it that way.
 */
export function learnerMatches(report: VerificationReport, identifier: string): 'match' | 'no-match' | 'cannot-tell' {
  if (typeof identifier !== 'string' || identifier.trim() === '') return 'cannot-tell';
  const proofHolds =
    report.checks.some((c) => c.check === 'proof' && c.status === 'pass') &&
    !report.checks.some(
      (c) => (c.check === 'proof' || c.check === 'keyBinding' || c.check === 'parse') && c.status === 'fail',
    );
  if (!proofHolds || !report.credential) return 'cannot-tell';
  const plain = identifier.trim();
  const candidates = plain.includes('@') && plain !== plain.toLowerCase() ? [plain, plain.toLowerCase()] : [plain];
  const raw = report.credential.credentialSubject;
  const subjects = (Array.isArray(raw) ? raw : [raw]).filter(
    (s): s is Record<string, unknown> => typeof s === 'object' && s !== null,
  );
  // Only like is compared with like: an e-mail address says nothing about a learner named only by a student number.
  const isEmail = /^[^\s@:]+@[^\s@]+$/.test(plain);
  const isIri = !isEmail && /^[a-z][a-z0-9+.-]*:\S+$/i.test(plain);
  const comparableType = (type: string) =>
    isEmail
      ? type === 'emailAddress'
      : isIri
        ? type === 'identifier'
        : type !== 'emailAddress' && type !== 'identifier';
  let comparable = false;
  for (const subject of subjects) {
    if (typeof subject.id === 'string' && (isIri || (isEmail && subject.id.startsWith('mailto:')))) {
      comparable = true;
      if (subject.id === plain || candidates.some((c) => subject.id === `mailto:${c}`)) return 'match';
    }
    const ids = Array.isArray(subject.identifier)
      ? subject.identifier
      : subject.identifier === undefined
        ? []
        : [subject.identifier];
    for (const id of ids) {
      if (
        !isIdentity(id) ||
        !comparableType(
          typeof (id as { identityType?: unknown }).identityType === 'string'
            ? (id as { identityType: string }).identityType
            : '',
        )
      )
        continue;
      comparable = true;
      if (candidates.some((c) => matchesIdentity(id, c))) return 'match';
    }
  }
  return comparable ? 'no-match' : 'cannot-tell';
}

function isIdentity(value: unknown): value is IdentityObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return (
    typeof o.identityHash === 'string' &&
    (o.salt === undefined || typeof o.salt === 'string') &&
    typeof o.hashed === 'boolean'
  );
}
