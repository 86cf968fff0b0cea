/**
 * The page's English words. Every string the page shows is here, under a stable key; another language is one more
 * file with the same keys (et.ts). `{name}` is filled in from the parameters. The `verdict.*`, `reason.*` and
 * `element.*` keys are the library's verdict keys (report.verdict), so a headline reads the same in every language.
 */
export const en = {
  'app.title': 'Check a micro-credential',
  'app.intro': 'Drop a credential file or a badge image here to see whether it is genuine. The check runs in this browser: nothing is uploaded.',
  'app.language': 'Language',
  'app.skip': 'Skip to the result',

  'input.heading': 'The credential',
  'input.drop': 'Drop files here',
  'input.dropHint': 'A credential file (.json, .jwt), a badge image (.png, .svg) or a presentation. Several files at once are checked as one programme.',
  'input.pick': 'Choose files',
  'input.paste': 'Or paste a credential (JSON or a JWT)',
  'input.check': 'Check',
  'input.clear': 'Start again',
  'input.checking': 'Checking…',
  'input.loadingUrl': 'Loading the credential from {url}…',
  'input.nothing': 'Nothing to check: paste a credential or choose a file.',
  'input.unreadable': 'Could not read {name}: {error}',
  'input.urlFailed': 'Could not load the credential from {url}: {error}',
  'input.presentationInStack': '{name} is a presentation: check it on its own.',
  'input.tooMany': 'At most {max} files are checked together.',

  'tone.good': 'Genuine',
  'tone.caution': 'Look closer',
  'tone.bad': 'Do not rely on it',

  'verdict.authentic': 'Authentic micro-credential from {issuer} (confirmed by {confirmedBy}).',
  'verdict.authentic-unconfirmed': 'Authentic, but the identity of the issuer ({issuer}) is not confirmed.',
  'verdict.tampered': 'Changed after it was signed: do not trust its content.',
  'verdict.revoked': 'Revoked by its issuer.',
  'verdict.suspended': 'Suspended by its issuer.',
  'verdict.expired': 'Expired.',
  'verdict.not-yet-valid': 'Not valid yet.',
  'verdict.status-not-checked': 'Could not check whether it was revoked.',
  'verdict.invalid': 'Not a valid credential.',

  'issuer.heading': 'Issuer',
  'issuer.confirmed': 'Identity confirmed by {confirmedBy}.',
  'issuer.unconfirmed': 'Identity not confirmed: the name is what the credential says about itself. Add a list of trusted issuers in the settings to confirm it.',
  'issuer.unknown': 'The issuer could not be read.',
  'issuer.claimed': '{name} (as the credential says)',
  'issuer.id': 'Identifier',

  'learner.heading': 'Check the candidate',
  'learner.label': "Enter the candidate's e-mail address",
  'learner.check': 'Check',
  'learner.match': 'This credential was issued to {who}.',
  'learner.no-match': 'This credential was not issued to {who}.',
  'learner.cannot-tell': 'The credential does not say to whom it was issued in a way that can be checked against {who}.',

  'elements.heading': 'What it certifies',
  'elements.none': 'The content is not shown because the credential could not be confirmed as genuine.',
  'reasons.heading': 'Why',
  'checks.summary': 'Show the checks behind this result',
  'checks.check': 'Check',
  'checks.outcome': 'Outcome',
  'checks.detail': 'Detail',
  'outcome.pass': 'passed',
  'outcome.fail': 'failed',
  'outcome.warn': 'warning',
  'outcome.skip': 'not checked',
  'badge.alt': 'The badge image of {title}',
  'badge.altUntitled': 'The badge image',

  'stack.heading': 'A programme of {count} credentials',
  'stack.complete': 'Every credential is genuine and together they make up the programme.',
  'stack.incomplete': 'These credentials do not make up a complete, genuine programme.',
  'stack.checks': 'Programme checks',
  'presentation.heading': 'A presentation of {count} credentials',
  'presentation.holder': 'Presented by {holder}.',
  'presentation.ok': 'The presentation itself checks out.',
  'presentation.failed': 'The presentation itself does not check out.',
  'file.label': 'File: {name}',

  'requests.heading': 'Network requests',
  'requests.none': 'This check made no network requests.',
  'requests.intro': 'To check revocation and the issuer, the page asked these addresses (named by the credential or by your settings):',

  'settings.heading': 'Settings: trusted issuers',
  'settings.intro': 'Lists of issuers you trust (a JSON list or a known-issuer registry). An issuer on one of them reads "identity confirmed".',
  'settings.url': 'Address of a list',
  'settings.addUrl': 'Add list',
  'settings.file': 'Or add a list from a file',
  'settings.remove': 'Remove {name}',
  'settings.none': 'No lists added.',
  'settings.failed': 'Could not add {name}: {error}',
  'settings.added': 'Added {name}.',

  'print.button': 'Print or save as PDF',
  'footer.privacy': 'Nothing you check leaves this browser. Only the addresses listed under "Network requests" are contacted.',

  'check.parse': 'Reading the file',
  'check.contexts': 'Vocabulary',
  'check.schema': 'Structure',
  'check.proof': 'Signature',
  'check.keyBinding': "Issuer's key",
  'check.validity': 'Dates',
  'check.relatedResource': 'Linked files',
  'check.status': 'Revocation',
  'check.euElements': 'EU micro-credential elements',
  'check.consistency': 'Consistency',
  'check.endorsements': 'Endorsements',
  'check.holderBinding': "Holder's signature",
  'check.challenge': 'Challenge',
  'check.domain': 'Domain',
  'check.freshness': 'Freshness',
  'check.credentials': 'Credentials',
  'check.subjectBinding': 'Holder is the learner',
  'check.trust': 'Issuer identity',
} as const;

/** The keys every catalogue has. */
export type MessageKey = keyof typeof en;
/** A catalogue: one string for every key of the English one. */
export type Catalogue = Record<MessageKey, string>;
