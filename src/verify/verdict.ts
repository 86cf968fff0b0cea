import type { MicroCredentialView } from '../read/view';
import type { Check, VerificationReport } from './report';

/**
 * What a verification means for a person, in one word. Derived from the report's checks (see {@link deriveVerdict}),
 * never computed beside them.
 */
export type VerdictOutcome =
  /** The proof holds, the issuer's identity is confirmed, not revoked or suspended (or cannot be), dates fine. */
  | 'authentic'
  /** Every check passes, but no trust source confirms who the issuer is. */
  | 'authentic-unconfirmed'
  /** The signature does not match the document: it was changed after it was signed. Nothing in it is fact. */
  | 'tampered'
  | 'revoked'
  | 'suspended'
  | 'expired'
  | 'not-yet-valid'
  /** Otherwise fine, but whether it was revoked could not be checked (also with statusCheck 'optional'). */
  | 'status-not-checked'
  /** Any other failure: malformed, unsupported, no proof, a key that is not the issuer's, schema, … */
  | 'invalid';

/** Why the verdict is what it is: one per failed, warned or unchecked check, in plain words. */
export interface VerdictReason {
  /** The check's code (the library's error vocabulary), or the check's name when it has none. */
  code: string;
  /** Message-catalogue key, e.g. `reason.status.STATUS_UNCHECKED`. */
  key: string;
  params: Record<string, string>;
  /** English plain words. */
  text: string;
}

/** Who issued it, and whether that is confirmed. `name` is the credential's own claim unless `confirmed`. */
export interface VerdictIssuer {
  id?: string;
  name?: string;
  confirmed: boolean;
  /** What confirmed it, in words ("DCC Community Registry", "the web domain ut.ee"). */
  confirmedBy?: string;
  /** How it was confirmed. */
  confirmedHow?: 'list' | 'registry' | 'web-domain';
  /** The name the credential gives, when a trust source knows the issuer by another. */
  claimedName?: string;
}

/** One EU element in words. `key` is stable ('title', 'ects', 'eqfLevel', …); `label` and `value` are English. */
export interface VerdictElement {
  key: string;
  label: string;
  value: string;
}

/** The verdict of a verification, for people: a headline, the reasons, and the EU elements in words. */
export interface Verdict {
  outcome: VerdictOutcome;
  /** English plain words. */
  headline: string;
  /** Message-catalogue key, e.g. `verdict.authentic`. */
  headlineKey: string;
  /** The values the headline's message takes: issuer, confirmedBy, grade, title, date, reason… */
  headlineParams: Record<string, string>;
  issuer: VerdictIssuer;
  /** The credential's title; only when the proof holds. */
  title?: string;
  /** The grade; only when the proof holds. */
  grade?: string;
  revokedAt?: string;
  reasons: VerdictReason[];
  /** The EU elements in words; empty unless the proof holds. */
  elements: VerdictElement[];
}

/** The report with its verdict attached (derived from its checks by {@link deriveVerdict}). */
export function withVerdict(report: Omit<VerificationReport, 'verdict'>): VerificationReport {
  const out = report as VerificationReport;
  out.verdict = deriveVerdict(out);
  return out;
}

/** The checks about the signature and who made it: the only reasons given for a document whose signature does not hold. */
const SIGNATURE_CHECKS = new Set<string>([
  'parse',
  'contexts',
  'proof',
  'keyBinding',
  'issuerIdentity',
  'disclosures',
  'holderBinding',
  'seal',
]);
const TAMPER_CODES = new Set(['INVALID_SIGNATURE', 'NOT_COMPACTED', 'DISCLOSURE_UNREFERENCED']);
const STATUS_UNCHECKED_CODES = new Set([
  'STATUS_UNCHECKED',
  'STATUS_RETRIEVAL_ERROR',
  'STATUS_LIST_UNTRUSTED',
  'STATUS_LIST_INVALID',
  'STATUS_LIST_EXPIRED',
  'STATUS_PURPOSE_MISMATCH',
  'STATUS_MALFORMED',
  'STATUS_ERROR',
]);

/**
 * The verdict of a report, from its checks alone: the same checks always give the same verdict. Content (title,
 * grade, elements, the issuer's name) is taken only from a credential whose proof holds; the issuer's name is shown
 * as confirmed only when the issuer identity check passed.
 */
export function deriveVerdict(report: Omit<VerificationReport, 'verdict'>): Verdict {
  const checks = report.checks;
  const failed = checks.filter((c) => c.status === 'fail');
  const has = (check: Check['check'], status: Check['status']) =>
    checks.some((c) => c.check === check && c.status === status);
  const proofFailed = failed.find(
    (c) =>
      c.check === 'proof' ||
      c.check === 'parse' ||
      c.check === 'contexts' ||
      (c.code !== undefined && TAMPER_CODES.has(c.code)),
  );
  // A proof holds when a proof check passed and none failed; a report the caller vouches for (no proof run, e.g. the
  // issuer's own register) holds when it verified. A key that is not the issuer's makes the content nobody's word.
  const keyFails = failed.some((c) => c.check === 'keyBinding');
  const proofHolds = !proofFailed && !keyFails && (has('proof', 'pass') || report.verified);
  const eu = proofHolds ? report.euElements : undefined;
  const issuer = issuerOf(report, proofHolds);
  const title = proofHolds ? titleOf(report, eu) : undefined;
  const grade = eu?.grade?.value;
  const reasons = reasonsOf(report);
  const elements = eu ? elementsOf(eu) : [];
  const base = { issuer, ...(title ? { title } : {}), ...(grade ? { grade } : {}), reasons, elements };
  const issuerWords = issuer.name ?? issuer.id ?? 'an unnamed issuer';

  const make = (
    outcome: VerdictOutcome,
    key: string,
    headline: string,
    params: Record<string, string>,
    extra: Partial<Verdict> = {},
  ): Verdict => ({ outcome, headline, headlineKey: key, headlineParams: params, ...base, ...extra });

  // A document whose signature does not hold is nobody's word: the reasons speak of the signature and the key only,
  // never of what its content claims ("104 hours for 40 ECTS", a schema finding about a changed value).
  const signatureReasons = reasons.filter((r) => SIGNATURE_CHECKS.has(r.key.split('.')[1] ?? ''));
  if (proofFailed) {
    if (proofFailed.code !== undefined && TAMPER_CODES.has(proofFailed.code)) {
      // Nothing of a document that does not match its signature is shown, not even its claimed issuer or title; the
      // checks it could not reach (key, issuer) follow from the change and are left to the details.
      return make(
        'tampered',
        'verdict.tampered',
        'Changed after it was signed: do not trust its content',
        {},
        {
          issuer: { confirmed: false },
          elements: [],
          reasons: reasons.filter((r) => TAMPER_CODES.has(r.code)),
        },
      );
    }
    const reason = reasons.find((r) => r.code === (proofFailed.code ?? proofFailed.check))?.text ?? proofFailed.message;
    // A file that is not JSON, or whose @context is missing, not a credential's or too deep to walk, is not a
    // credential that can be read; calling it changed after signing would accuse a signature nobody made.
    const unreadable =
      proofFailed.check === 'parse' ||
      (proofFailed.check === 'contexts' &&
        (proofFailed.code === 'INVALID_INPUT' || proofFailed.code === 'CANONICALIZATION_LIMIT'));
    const [key, headline] = unreadable
      ? ['verdict.unreadable', `Not a credential this verifier can read (${reason})`]
      : proofFailed.code === 'NO_PROOF'
        ? ['verdict.unsigned', 'Not signed: do not trust its content']
        : ['verdict.signature-unchecked', `Its signature could not be checked: do not trust its content (${reason})`];
    return make(
      'invalid',
      key,
      headline,
      { reason },
      {
        issuer: { confirmed: false },
        elements: [],
        // A file that is no credential has no signature or issuer to speak of: only why it could not be read.
        reasons: unreadable
          ? reasons.filter((r) => r.key.startsWith(`reason.${proofFailed.check}.`))
          : signatureReasons,
      },
    );
  }
  const revoked = failed.find((c) => c.code === 'REVOKED');
  if (revoked) {
    return make('revoked', 'verdict.revoked', `Revoked by its issuer: no longer valid${title ? ` ("${title}")` : ''}`, {
      issuer: issuerWords,
      ...(title ? { title } : {}),
    });
  }
  if (failed.some((c) => c.code === 'SUSPENDED')) {
    return make('suspended', 'verdict.suspended', 'Suspended by its issuer: not valid for now', {
      issuer: issuerWords,
    });
  }
  const other = failed.find(
    (c) =>
      c.code !== 'EXPIRED' &&
      c.code !== 'NOT_YET_VALID' &&
      !(c.check === 'status' && c.code !== undefined && STATUS_UNCHECKED_CODES.has(c.code)),
  );
  if (other) {
    const reason = reasons.find((r) => r.code === (other.code ?? other.check))?.text ?? other.message;
    if (other.code === 'KEY_BINDING_MISMATCH' || other.code === 'KEY_UNCONFIRMED') {
      return make(
        'invalid',
        'verdict.not-issuers-key',
        'Signed, but not by the issuer it names: do not trust its content',
        { reason },
        {
          issuer: { confirmed: false, ...(issuer.id ? { id: issuer.id } : {}) },
          elements: [],
          reasons: signatureReasons,
        },
      );
    }
    return make('invalid', 'verdict.invalid', `Not a valid credential: ${reason}`, { reason });
  }
  const expired = failed.find((c) => c.code === 'EXPIRED');
  if (expired) {
    const date = dateOf(report, 'until') ?? '';
    return make('expired', 'verdict.expired', date ? `Expired on ${date}` : 'Expired', { date });
  }
  if (failed.some((c) => c.code === 'NOT_YET_VALID')) {
    const date = dateOf(report, 'from') ?? '';
    return make('not-yet-valid', 'verdict.not-yet-valid', date ? `Not valid until ${date}` : 'Not valid yet', { date });
  }
  const noun = eu && (eu.euExtension || eu.achievementType === 'MicroCredential') ? 'micro-credential' : 'credential';
  const statusUnchecked = checks.some(
    (c) =>
      c.check === 'status' &&
      (c.status === 'fail' || c.status === 'warn') &&
      c.code !== undefined &&
      STATUS_UNCHECKED_CODES.has(c.code),
  );
  if (statusUnchecked) {
    return make(
      'status-not-checked',
      'verdict.status-not-checked',
      `Could not check whether it was revoked: the signature holds, but do not rely on this ${noun} until its status is checked`,
      { issuer: issuerWords, noun },
    );
  }
  const statusChecked = checks.some(
    (c) => c.check === 'status' && c.status === 'pass' && report.credential?.credentialStatus !== undefined,
  );
  const tail = `${statusChecked ? ', not revoked' : ''}${gradeWords(eu)}`;
  const params: Record<string, string> = {
    issuer: issuerWords,
    noun,
    ...(title ? { title } : {}),
    ...(grade ? { grade, gradePassed: eu?.grade?.status && /fail/i.test(eu.grade.status) ? 'no' : 'yes' } : {}),
    revoked: statusChecked ? 'not-revoked' : 'no-status',
  };
  if (issuer.confirmed && issuer.confirmedHow === 'web-domain') {
    const domain = issuer.confirmedBy?.replace(/^the web domain /, '') ?? '';
    return make(
      'authentic',
      'verdict.authentic-domain',
      `Authentic ${noun} from ${domain} (confirmed by its web domain; the name "${issuerWords}" is its own claim)${tail}`,
      { ...params, confirmedBy: issuer.confirmedBy ?? '', domain },
    );
  }
  if (issuer.confirmed) {
    return make(
      'authentic',
      'verdict.authentic',
      `Authentic ${noun} from ${issuerWords} (confirmed by ${issuer.confirmedBy ?? 'a trust source'})${tail}`,
      { ...params, confirmedBy: issuer.confirmedBy ?? '' },
    );
  }
  return make(
    'authentic-unconfirmed',
    'verdict.authentic-unconfirmed',
    `Authentic, but the issuer's identity is not confirmed (it calls itself "${issuerWords}")${tail}`,
    params,
  );
}

function gradeWords(eu: MicroCredentialView | undefined): string {
  const grade = eu?.grade;
  if (!grade?.value) return '';
  if (grade.status && /fail/i.test(grade.status)) return `, grade ${grade.value} (not passed)`;
  return `, passed with grade ${grade.value}`;
}

function issuerOf(report: Omit<VerificationReport, 'verdict'>, proofHolds: boolean): VerdictIssuer {
  const raw = report.credential?.issuer;
  // An SD-JWT VC names its issuer in `iss`, not `issuer`.
  const iss = (report.credential as { iss?: unknown } | undefined)?.iss;
  const id =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : raw === undefined && typeof iss === 'string'
          ? iss
          : undefined;
  const claimed = proofHolds ? (report.euElements?.issuer?.name ?? nameOf(raw)) : undefined;
  const trust = report.issuerTrust;
  const confirmed =
    proofHolds &&
    trust?.confirmed === true &&
    report.checks.some((c) => c.check === 'issuerIdentity' && c.status === 'pass');
  if (!confirmed) return { ...(id ? { id } : {}), ...(claimed ? { name: claimed } : {}), confirmed: false };
  const listed = trust.entry?.name;
  return {
    ...(id ? { id } : {}),
    ...((listed ?? claimed) ? { name: (listed ?? claimed)! } : {}),
    confirmed: true,
    ...(trust.by ? { confirmedBy: trust.by } : {}),
    ...(trust.method ? { confirmedHow: trust.method } : {}),
    ...(listed && claimed && listed !== claimed ? { claimedName: claimed } : {}),
  };
}

function nameOf(issuer: unknown): string | undefined {
  const name = typeof issuer === 'object' && issuer !== null ? (issuer as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function titleOf(report: Omit<VerificationReport, 'verdict'>, eu: MicroCredentialView | undefined): string | undefined {
  if (eu?.title) return eu.title;
  const name = report.credential?.name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function dateOf(report: Omit<VerificationReport, 'verdict'>, which: 'from' | 'until'): string | undefined {
  const c = report.credential;
  const value = which === 'until' ? (c?.validUntil ?? c?.expirationDate) : (c?.validFrom ?? c?.issuanceDate);
  return typeof value === 'string' ? value.slice(0, 10) : undefined;
}

/** Plain words for the codes a person meets; any other check speaks through its own message. */
const REASON_TEXT: Record<string, string> = {
  DISCLOSURE_UNREFERENCED:
    'A disclosed value is not one the issuer signed: it was changed, or taken from another credential',
  DISCLOSURE_REPEATED: 'A disclosed value is given twice',
  DISCLOSURE_MALFORMED: 'A disclosed value is not in the form SD-JWT requires',
  SD_HASH_MISMATCH: "The holder's confirmation was made for another selection of values",
  KEY_BINDING_JWT_MISSING: 'The holder did not confirm that they present it (no key binding)',
  INVALID_SIGNATURE: 'The signature does not match the content: it was changed after it was signed',
  NOT_COMPACTED: 'The document was rewritten after it was signed, so its text may not say what was signed',
  NO_PROOF: 'It carries no signature',
  REVOKED: 'Its issuer has revoked it',
  SUSPENDED: 'Its issuer has suspended it',
  EXPIRED: 'Its validity period has ended',
  NOT_YET_VALID: 'Its validity period has not started',
  STATUS_UNCHECKED: 'Whether it was revoked was not checked (no status list could be read)',
  STATUS_RETRIEVAL_ERROR: 'Its revocation list could not be fetched',
  STATUS_LIST_UNTRUSTED: 'Its revocation list is not signed by its issuer',
  STATUS_LIST_INVALID: 'Its revocation list does not verify',
  STATUS_LIST_EXPIRED: 'Its revocation list is out of date',
  KEY_BINDING_MISMATCH: 'The key that signed it does not belong to the issuer it names',
  KEY_UNCONFIRMED: 'Nothing confirms that the key that signed it belongs to the issuer it names',
  ISSUER_UNCONFIRMED: "No trust source confirms who the issuer is: the issuer's name is its own claim",
  RESOLVER_ERROR: "The issuer's key could not be looked up",
  SCHEMA_VIOLATION: 'It does not follow the Open Badges 3.0 format',
  MISSING_ELEMENT: 'Mandatory EU micro-credential elements are missing',
  UNKNOWN_CONTEXT: 'It uses vocabulary the verifier does not know',
  SAFE_MODE_VIOLATION: 'It contains terms its signature does not cover',
  UNSUPPORTED_PROOF: 'It is signed in a way this verifier does not support',
  RELATED_RESOURCE_MISMATCH: 'A linked file does not match the digest the credential gives',
};

/** A check that could not run, in plain words (its own message, "Not checked: no proof holds", is in the details). */
const UNCHECKED_TEXT: Partial<Record<Check['check'], string>> = {
  proof: 'Its signature was not checked',
  keyBinding: "Whether the signing key is the issuer's was not checked",
  issuerIdentity: "The issuer's identity was not checked",
};

function reasonsOf(report: Omit<VerificationReport, 'verdict'>): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  for (const c of report.checks) {
    const unchecked =
      c.status === 'skip' &&
      (c.check === 'proof' || c.check === 'keyBinding' || c.check === 'status' || c.check === 'issuerIdentity');
    if (c.status !== 'fail' && c.status !== 'warn' && !unchecked) continue;
    const code = c.code ?? c.check;
    // A Europass seal is not "signed in a way this verifier does not support": its own message says what it is.
    const text =
      c.check === 'seal'
        ? c.message
        : ((c.code && REASON_TEXT[c.code]) ?? (unchecked ? UNCHECKED_TEXT[c.check] : undefined) ?? c.message);
    reasons.push({ code, key: `reason.${c.check}.${code}`, params: { check: c.check, message: c.message }, text });
  }
  if (!report.issuerTrust && report.credential !== undefined) {
    reasons.push({
      code: 'ISSUER_UNCONFIRMED',
      key: 'reason.issuerIdentity.noTrustSource',
      params: {},
      text: "No trust source was given, so the issuer's identity is not confirmed",
    });
  }
  return reasons;
}

function elementsOf(eu: MicroCredentialView): VerdictElement[] {
  const out: VerdictElement[] = [];
  const add = (key: string, label: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out.push({ key, label, value: value.trim() });
  };
  add('title', 'Title', eu.title);
  add(
    'awardingBody',
    'Awarded by',
    eu.awardingBodies
      .map((b) => b.name ?? b.id)
      .filter(Boolean)
      .join(', '),
  );
  add(
    'country',
    'Country',
    placesInWords(eu.issuerCountries.map((c) => [c.country?.label ?? c.code, c.region].filter(Boolean).join(', '))),
  );
  add('dateOfIssuing', 'Issued', eu.dateOfIssuing);
  add('learner', 'Learner', eu.learner.name ?? eu.learner.id ?? hashedLearner(eu));
  add('ects', 'Credits (ECTS)', eu.workload.ects !== undefined ? String(eu.workload.ects) : undefined);
  add('hours', 'Workload (hours)', eu.workload.hours !== undefined ? String(eu.workload.hours) : undefined);
  add('eqfLevel', 'EQF level', eu.level.eqf !== undefined ? String(eu.level.eqf) : undefined);
  add('learningOutcomes', 'Learning outcomes', eu.learningOutcomes.map((o) => o.text).join('\n'));
  add(
    'assessment',
    'Assessment',
    eu.assessment
      .map((a) => a.type?.label ?? a.name ?? a.type?.id)
      .filter(Boolean)
      .join(', '),
  );
  add(
    'participation',
    'Participation',
    eu.participation.modes
      .map((m) => m.label ?? m.id)
      .filter(Boolean)
      .join(', '),
  );
  add(
    'qualityAssurance',
    'Quality assurance',
    eu.qualityAssurance
      .map((q) => q.name ?? q.type?.label)
      .filter(Boolean)
      .join(', '),
  );
  add('prerequisites', 'Prerequisites', eu.prerequisites);
  add('supervision', 'Supervision and identity verification', eu.supervision?.label ?? eu.supervision?.id);
  add(
    'grade',
    'Grade',
    eu.grade?.value ? `${eu.grade.value}${eu.grade.status ? ` (${eu.grade.status})` : ''}` : undefined,
  );
  add(
    'stackability',
    'Stackability',
    [
      eu.stackability.option?.label,
      eu.stackability.isPartOf.length ? `part of ${eu.stackability.isPartOf.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  );
  add('validUntil', 'Valid until', eu.validUntil);
  add('language', 'Language', eu.language);
  add('furtherInformation', 'Further information', eu.furtherInformation.join('\n'));
  add('missingElements', 'Missing Annex I elements', eu.missingMandatory.join(', '));
  return out;
}

const IDENTITY_WORDS: Record<string, string> = {
  emailAddress: 'e-mail address',
  sisSourcedId: 'student number',
  nationalIdentityNumber: 'national id',
  name: 'name',
  studentId: 'student id',
  identifier: 'identifier',
};

/** A learner named only by salted hashes: which kinds, so a verifier knows what to ask the candidate for. */
function hashedLearner(eu: MicroCredentialView): string | undefined {
  const kinds = [...new Set(eu.learner.identifiers.map((i) => IDENTITY_WORDS[i.identityType] ?? i.identityType))];
  if (kinds.length === 0) return undefined;
  const hashed = eu.learner.identifiers.every((i) => i.hashed);
  return `identified by ${hashed ? 'hashed ' : ''}${kinds.join(', ')}${hashed ? ' (ask the candidate for it to check)' : ''}`;
}

/** Places once each: "Estonia" is left out beside "Estonia, Tartu County" (the issuer and its awarding body). */
function placesInWords(places: string[]): string {
  const unique = [...new Set(places.filter((p) => p !== ''))];
  return unique.filter((p) => !unique.some((other) => other !== p && other.startsWith(`${p}, `))).join('; ');
}
