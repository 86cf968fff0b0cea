/**
 * How a result reads: pure render functions from the library's reports to HTML. Words come from the catalogues;
 * the verdict (headline, issuer confirmation, reasons, EU elements) is the library's report.verdict, shown as is.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Check, PresentationReport, StackReport, Verdict, VerdictOutcome, VerdictReason, VerificationReport } from 'microcredentials';
import type { Translator } from './i18n';
import type { FileKind, LoadedFile } from './input';
import { imageType } from './input';
import { dateInWords, languageInWords } from './dates';
import { distinctByText } from './distinct';
import { LearnerCheck } from './learner-check';
import { unreadableHeadline, unreadableKind } from './plain';

/** Registers the page's elements (called once by main.ts: the package is marked side-effect free, so nothing registers on import). */
export function defineLearnerCheck(): void {
  if (!customElements.get('mc-learner-check')) customElements.define('mc-learner-check', LearnerCheck);
}

export type Tone = 'good' | 'caution' | 'bad';

/** The colour and word that go with an outcome. */
export function toneOf(outcome: VerdictOutcome | undefined): Tone {
  if (outcome === 'authentic') return 'good';
  if (outcome === 'authentic-unconfirmed' || outcome === 'status-not-checked') return 'caution';
  return 'bad';
}

/**
 * Whether the credential's own content (its image, issuer, elements) may be shown: the library gives a title and
 * elements only when the proof holds and the key is the issuer's, so the page follows that rather than judging.
 */
function contentShown(verdict: Verdict): boolean {
  return verdict.title !== undefined || verdict.elements.length > 0;
}

export interface CardContext {
  i18n: Translator;
  /** Object URLs the page made for images, released when the result is replaced. */
  imageUrl: (file: LoadedFile, kind: FileKind) => string | undefined;
  learnerMatches: (report: VerificationReport, identifier: string) => 'match' | 'no-match' | 'cannot-tell';
  /** Heading level of a card's headline: 2 alone, 3 inside a programme or presentation. */
  level: 2 | 3;
}

/** An element's value as shown: dates and languages in words (as written one hover away), everything else as the library gives it. */
export function elementValue(e: Verdict['elements'][number], language: string): TemplateResult | string {
  if (e.key === 'language') {
    const words = languageInWords(e.value, language);
    return words === e.value ? e.value : html`<span title=${e.value}>${words}</span>`;
  }
  if (e.key !== 'dateOfIssuing' && e.key !== 'validUntil') return e.value;
  const words = dateInWords(e.value, language);
  return words === e.value ? e.value : html`<time datetime=${e.value} title=${e.value}>${words}</time>`;
}

export function credentialCard(report: VerificationReport, file: LoadedFile | undefined, kind: FileKind | undefined, ctx: CardContext): TemplateResult {
  const { t, tk } = ctx.i18n;
  const verdict = report.verdict;
  const tone = toneOf(verdict.outcome);
  const shown = contentShown(verdict);
  const image = shown && file && kind && imageType(kind) ? ctx.imageUrl(file, kind) : undefined;
  const headline = headlineWords(verdict, ctx.i18n, report.checks);
  return html`
    <article class="result tone-${tone}" data-outcome=${verdict.outcome}>
      <div class="result-head">
        ${image ? html`<img class="badge" src=${image} alt=${verdict.title ? t('badge.alt', { title: verdict.title }) : t('badge.altUntitled')} />` : nothing}
        <div class="result-words">
          <p class="tone-word"><span class="tone-mark" aria-hidden="true"></span>${t(`tone.${tone}`)}</p>
          <div role="heading" aria-level=${ctx.level} class="headline" data-testid="headline">${headline}</div>
          ${file ? html`<p class="file-name">${t('file.label', { name: file.name })}</p>` : nothing}
        </div>
      </div>
      ${shown ? issuerSection(verdict, ctx) : nothing}
      ${verdict.reasons.length > 0
        ? html`<section class="reasons"><h3>${t('reasons.heading')}</h3>
            <ul>${distinctByText(verdict.reasons.map((r) => ({ code: r.code, text: reasonWords(r, ctx.i18n, report.checks) }))).map(
              (r) => html`<li data-code=${r.code}>${r.text}</li>`,
            )}</ul></section>`
        : nothing}
      <section class="elements">
        <h3>${t('elements.heading')}</h3>
        ${shown && verdict.elements.length > 0
          ? html`<dl>${verdict.elements.map((e) => html`<div class="element"><dt>${tk(`element.${e.key}`, undefined, e.label)}</dt><dd>${elementValue(e, ctx.i18n.language)}</dd></div>`)}</dl>`
          : html`<p>${t('elements.none')}</p>`}
      </section>
      ${shown ? html`<mc-learner-check .report=${report} .i18n=${ctx.i18n} .matchLearner=${ctx.learnerMatches}></mc-learner-check>` : nothing}
      ${checksTable(report.checks, ctx.i18n)}
    </article>`;
}

/**
 * The headline in the reader's language, from the verdict's key and parameters. The library's English headline adds
 * "not revoked" and the grade when its parameters say so; the catalogues word those as tails. A key no catalogue knows
 * is shown in the library's English words.
 */
export function headlineWords(verdict: Verdict, i18n: Translator, checks: readonly Check[] = []): string {
  const { tk, has } = i18n;
  const params = { ...verdict.headlineParams };
  if (params.noun) params.noun = tk(`noun.${params.noun}`, undefined, params.noun);
  let key = verdict.headlineKey;
  // A file that could not be read: what it is and what to do, not how the parser failed (that is in the checks).
  const unreadable = key === 'verdict.unreadable' ? unreadableKind(checks) : undefined;
  if (unreadable && has(`verdict.unreadable.${unreadableHeadline(unreadable)}`)) key = `verdict.unreadable.${unreadableHeadline(unreadable)}`;
  // The reason a headline quotes, in the reader's words (the library's English may be a developer's message).
  const quoted = params.reason === undefined ? undefined : verdict.reasons.find((r) => r.text === params.reason);
  if (quoted) params.reason = reasonWords(quoted, i18n, checks);
  if ((key === 'verdict.expired' || key === 'verdict.not-yet-valid') && !params.date) key = `${key}.undated`;
  // "Expired on 10 January 2024", as the dates under "What it certifies" read, not the ISO form.
  if (params.date) params.date = dateInWords(params.date, i18n.language);
  if (!has(key)) return verdict.headline;
  let words = tk(key, params, verdict.headline);
  if (verdict.outcome === 'revoked' && params.title) words += tk('verdict.tail.title', params, '');
  if (verdict.outcome === 'authentic' || verdict.outcome === 'authentic-unconfirmed') {
    if (params.revoked === 'not-revoked') words += tk('verdict.tail.not-revoked', params, '');
    if (params.grade) words += tk(params.gradePassed === 'no' ? 'verdict.tail.grade-failed' : 'verdict.tail.grade', params, '');
  }
  return words;
}

/**
 * A reason in the reader's words: the catalogue's for its check and code, else for its code alone (a code such as
 * CANONICALIZATION_LIMIT fails whichever check met it), else the library's English. A file that could not be read is
 * worded by what it is (plain.ts).
 */
export function reasonWords(reason: VerdictReason, i18n: Translator, checks: readonly Check[]): string {
  const { tk, has } = i18n;
  const unreadable = /^reason\.(parse|contexts)\./.test(reason.key) ? unreadableKind(checks) : undefined;
  const key = unreadable ? `reason.unreadable.${unreadable}` : has(reason.key) ? reason.key : `reason.${reason.code}`;
  return tk(key, reason.params, tk(reason.key, reason.params, reason.text));
}

function issuerSection(verdict: Verdict, ctx: CardContext): TemplateResult {
  const { t } = ctx.i18n;
  const { issuer } = verdict;
  const name = issuer.name ? (issuer.confirmed ? issuer.name : t('issuer.claimed', { name: issuer.name })) : undefined;
  return html`<section class="issuer">
    <h3>${t('issuer.heading')}</h3>
    ${name ? html`<p class="issuer-name">${name}</p>` : issuer.id ? nothing : html`<p>${t('issuer.unknown')}</p>`}
    <p class="issuer-confirmation ${issuer.confirmed ? 'confirmed' : 'unconfirmed'}" data-testid="issuer-confirmation">
      ${issuer.confirmed ? t('issuer.confirmed', { confirmedBy: issuer.confirmedBy ?? '' }) : t('issuer.unconfirmed')}
    </p>
    ${issuer.confirmed && issuer.claimedName ? html`<p>${t('issuer.claimedAs', { name: issuer.claimedName })}</p>` : nothing}
    ${issuer.id ? html`<p class="issuer-id"><span>${t('issuer.id')}:</span> <code>${issuer.id}</code></p>` : nothing}
  </section>`;
}

type CheckRow = { check: string; status: Check['status']; message: string; code?: string; path?: string };

function checksTable(checks: readonly CheckRow[], i18n: Translator, summaryKey: 'checks.summary' | 'stack.checks' = 'checks.summary'): TemplateResult {
  const { t, tk } = i18n;
  return html`<details class="checks">
    <summary>${t(summaryKey)}</summary>
    <table>
      <thead><tr><th scope="col">${t('checks.check')}</th><th scope="col">${t('checks.outcome')}</th><th scope="col">${t('checks.detail')}</th></tr></thead>
      <tbody>${checks.map(
        (c) => html`<tr class="check-${c.status}">
          <th scope="row">${tk(`check.${c.check}`, undefined, c.check)}</th>
          <td>${t(`outcome.${c.status}`)}</td>
          <td>${c.message}${c.code ? html` <code>${c.code}</code>` : nothing}${c.path ? html` <code class="path">${c.path}</code>` : nothing}</td>
        </tr>`,
      )}</tbody>
    </table>
  </details>`;
}

/** A programme and its parts: the stack's own checks, then each credential's card (programme first, as the library orders them). */
export function stackView(report: StackReport, ctx: CardContext): TemplateResult {
  const { t } = ctx.i18n;
  const reports = [report.programme, ...report.parts];
  return html`<section class="group tone-${report.verified ? 'good' : 'bad'}" data-outcome=${report.verified ? 'stack-complete' : 'stack-incomplete'}>
      <h2 data-testid="headline">${t('stack.heading', { count: String(reports.length) })}</h2>
      <p class="group-summary">${report.verified ? t('stack.complete') : t('stack.incomplete')}</p>
      ${checksTable(report.checks, ctx.i18n, 'stack.checks')}
    </section>
    ${reports.map((r) => credentialCard(r, undefined, undefined, { ...ctx, level: 3 }))}`;
}

export function presentationView(report: PresentationReport, file: LoadedFile, ctx: CardContext): TemplateResult {
  const { t } = ctx.i18n;
  // "The presentation itself": its own checks. How each credential fared is its own card below, so a revoked or
  // unchecked credential does not make a well-signed presentation read as a bad one.
  const own = report.checks.every((c) => c.check === 'credentials' || c.status !== 'fail');
  // The page gives no challenge: a signed presentation then proves whose credentials these are, not who sends them now.
  const notAsked = report.checks.some((c) => c.check === 'challenge' && c.status === 'warn');
  return html`<section class="group tone-${own ? 'good' : 'bad'}" data-outcome=${own ? 'presentation-ok' : 'presentation-failed'}>
      <h2>${t('presentation.heading', { count: String(report.credentials.length) })}</h2>
      <p class="file-name">${t('file.label', { name: file.name })}</p>
      <p class="group-summary" data-testid="presentation-summary">${own ? t(notAsked ? 'presentation.okNotAsked' : 'presentation.ok') : t('presentation.failed')}</p>
      ${report.holder ? html`<p class="holder">${t('presentation.holder', { holder: report.holder })}</p>` : nothing}
      ${checksTable(report.checks, ctx.i18n)}
    </section>
    ${report.credentials.map((r) => credentialCard(r, undefined, undefined, { ...ctx, level: 3 }))}`;
}
