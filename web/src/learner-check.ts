import { html, LitElement, nothing } from 'lit';
import type { VerificationReport } from 'microcredentials';
import type { Translator } from './i18n';

type Match = 'match' | 'no-match' | 'cannot-tell';

/**
 * "Check the candidate": the HR person types the e-mail the candidate gave, and the library says whether the
 * credential was issued to it (the credential holds only a salted hash of it, so this is the only way to ask).
 */
export class LearnerCheck extends LitElement {
  static override properties = { report: { attribute: false }, i18n: { attribute: false }, matchLearner: { attribute: false }, answer: { state: true } };
  declare report: VerificationReport;
  declare i18n: Translator;
  declare matchLearner: (report: VerificationReport, identifier: string) => Match;
  declare answer: { result: Match; who: string } | undefined;
  private static count = 0;
  private readonly inputId = `learner-${++LearnerCheck.count}`;

  // Light DOM: the page's one stylesheet (and print CSS) applies, and labels reach assistive technology plainly.
  protected override createRenderRoot() {
    return this;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('who') as HTMLInputElement;
    const who = field.value.trim();
    this.answer = who ? { result: this.matchLearner(this.report, who), who } : undefined;
  }

  protected override render() {
    const { t } = this.i18n;
    return html`<section class="learner">
      <h3>${t('learner.heading')}</h3>
      <form @submit=${this.submit}>
        <label for=${this.inputId}>${t('learner.label')}</label>
        <div class="inline">
          <input id=${this.inputId} name="who" type="text" inputmode="email" autocomplete="off" spellcheck="false" />
          <button type="submit">${t('learner.check')}</button>
        </div>
      </form>
      <p class="learner-answer ${this.answer?.result ?? ''}" role="status" data-testid="learner-answer">${this.answer ? t(`learner.${this.answer.result}`, { who: this.answer.who }) : nothing}</p>
    </section>`;
  }
}

