import type { Check, VerdictReason, VerificationReport } from '../index';

/**
 * The verdict's headline and reasons as a registrar or an HR person reads them. The library's words are kept where
 * they are plain; where they are a developer's (a parse message naming JSON paths and parser internals, a limit in
 * characters) they are replaced by words chosen from the failed check's stable code and path, never its message. The
 * technical message, code and path stay one step away: `--details` and `--json`. (The verifier page words the same
 * cases in its catalogues, web/src/plain.ts.)
 */

/** What a file that could not be read as a credential is, for a person. */
type Unreadable = 'not-credential' | 'image' | 'duplicate' | 'odd-name' | 'too-big' | 'presentation';

function unreadableKind(checks: readonly Check[]): Unreadable | undefined {
  // The parse check, or the contexts check that found no credential's @context (missing, another kind of
  // document's, too deep to walk): the failure the library's verdict calls unreadable.
  const parse = checks.find(
    (c) =>
      c.status === 'fail' &&
      (c.check === 'parse' ||
        (c.check === 'contexts' && (c.code === 'INVALID_INPUT' || c.code === 'CANONICALIZATION_LIMIT'))),
  );
  if (!parse) return undefined;
  if (parse.code === 'INVALID_IMAGE') return 'image';
  if (parse.code === 'DUPLICATE_KEY') return 'duplicate';
  // The object read was over the library's bounds (too many values, nested too deep).
  if (parse.code === 'CANONICALIZATION_LIMIT') return 'too-big';
  // A member named __proto__: the library's refusal gives its path, which ends in that name.
  if (parse.path?.endsWith('.__proto__')) return 'odd-name';
  // A presentation is refused at its type: it has checks of its own.
  if (parse.path === '$.type') return 'presentation';
  return 'not-credential';
}

const UNSAFE_HEADLINE =
  'This file is not a credential that can be read safely: ask the learner for the file their institution sent';

const UNREADABLE: Record<Unreadable, { headline: string; reason: string }> = {
  'not-credential': {
    headline:
      'This file is not a credential: ask the learner for the credential file or badge image their institution sent',
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
  },
  image: {
    headline:
      'This image has no credential in it: ask the learner for the badge image or credential file their institution sent',
    reason: 'The image does not carry a credential',
  },
  duplicate: {
    headline: UNSAFE_HEADLINE,
    reason: 'It gives the same item twice, so it can be read in two different ways',
  },
  'odd-name': {
    headline: UNSAFE_HEADLINE,
    reason: 'It has an item with a name that software can misread, so it can be read in two different ways',
  },
  'too-big': { headline: UNSAFE_HEADLINE, reason: 'It is too large or too deeply nested to be read safely' },
  presentation: {
    headline:
      'This is a presentation (credentials sent together from a wallet), not one credential: check it with microcred verify-presentation',
    reason: 'It holds credentials that their holder sent together, which are checked differently from one credential',
  },
};

/** Reasons whose library words are a check's own message ("Not checked", a limit in characters). */
const REASON_WORDS: Record<string, string> = {
  'reason.proof.proof': 'Its signature was not checked',
  'reason.keyBinding.keyBinding': "Whether the signing key is the issuer's was not checked",
  'reason.status.status': 'Whether it was revoked was not checked',
  'reason.issuerIdentity.issuerIdentity': "The issuer's identity was not checked",
};
/** By code alone: these fail whichever check met them. */
const CODE_WORDS: Record<string, string> = {
  CANONICALIZATION_LIMIT: 'It is too large or too complex to check; a genuine credential is far smaller',
  INTERNAL_ERROR: 'The check could not be finished',
};

/** One reason in plain words. */
export function plainReason(reason: VerdictReason, checks: readonly Check[]): string {
  const unreadable = /^reason\.(parse|contexts)\./.test(reason.key) ? unreadableKind(checks) : undefined;
  if (unreadable) return UNREADABLE[unreadable].reason;
  return REASON_WORDS[reason.key] ?? CODE_WORDS[reason.code] ?? reason.text;
}

/** The report's reasons in plain words, each once. */
export function plainReasons(report: Pick<VerificationReport, 'verdict' | 'checks'>): string[] {
  return [...new Set(report.verdict.reasons.map((r) => plainReason(r, report.checks)))];
}

/** The verdict's headline in plain words. */
export function plainHeadline(report: Pick<VerificationReport, 'verdict' | 'checks'>): string {
  const { verdict, checks } = report;
  const unreadable = verdict.headlineKey === 'verdict.unreadable' ? unreadableKind(checks) : undefined;
  if (unreadable) return UNREADABLE[unreadable].headline;
  // A headline that quotes a reason ("…: do not trust its content (reason)") quotes it in plain words.
  const quoted = verdict.headlineParams.reason;
  const reason = quoted === undefined ? undefined : verdict.reasons.find((r) => r.text === quoted);
  return reason && quoted ? verdict.headline.replace(quoted, () => plainReason(reason, checks)) : verdict.headline;
}
