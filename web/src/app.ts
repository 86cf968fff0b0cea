import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { CATALOGUES, initialLanguage, isLanguage, LANGUAGE_NAMES, translator, type Language, type MessageKey, type Translator } from './i18n';
import { imageType, type FileKind, type LoadedFile } from './input';
import type { CheckResult, CheckSettings, TrustSetting } from './engine';
import { credentialCard, presentationView, stackView, type CardContext } from './views';

declare const __ALLOW_PRIVATE_NETWORK_FLAG__: boolean;

/** At most this many files are checked together (the library's own bound on a stack is larger). */
const MAX_FILES = 32;
const TRUST_STORAGE_KEY = 'microcredentials.verifier.trust';

type Engine = typeof import('./engine');
type Status = { kind: 'idle' } | { kind: 'busy'; key: MessageKey; params?: Record<string, string> } | { kind: 'error'; key: MessageKey; params: Record<string, string> } | { kind: 'done'; result: CheckResult };

let engine: Promise<Engine> | undefined;
/** The verifier is a chunk of its own, loaded with the first credential. */
function loadEngine(): Promise<Engine> {
  engine ??= import('./engine');
  return engine;
}

/** Loads the verifier and runs it once at idle; a failure here only means the first real check is slower. */
async function warmUp(): Promise<void> {
  try {
    await (await loadEngine()).warmUp();
  } catch {
    // The first drop loads it again and reports any real problem.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The verifier page: takes credentials in, shows the library's verdict in the reader's language. */
export class VerifierApp extends LitElement {
  static override properties = {
    language: { state: true },
    status: { state: true },
    requests: { state: true },
    trust: { state: true },
    settingsMessage: { state: true },
    dragging: { state: true },
  };
  declare language: Language;
  declare status: Status;
  declare requests: string[];
  declare trust: TrustSetting[];
  declare settingsMessage: string | undefined;
  declare dragging: boolean;

  private readonly params = new URLSearchParams(location.search);
  /** Tests only: the flag does nothing in the production build (and its CSP refuses loopback anyway). */
  private readonly allowPrivateNetwork = __ALLOW_PRIVATE_NETWORK_FLAG__ && this.params.get('allowPrivateNetwork') === '1';
  private imageUrls: string[] = [];
  /** Set before the first result is shown (a result needs it to have been loaded). */
  private engine: Engine | undefined;
  private i18n: Translator;

  constructor() {
    super();
    this.language = initialLanguage(location.search, navigator.languages ?? []);
    this.i18n = translator(this.language);
    this.status = { kind: 'idle' };
    this.requests = [];
    this.trust = [...storedTrust(), ...this.params.getAll('trust').map((url): TrustSetting => ({ kind: 'url', name: url, url }))];
    this.settingsMessage = undefined;
    this.dragging = false;
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('dragover', this.onDragOver);
    document.addEventListener('dragleave', this.onDragLeave);
    document.addEventListener('drop', this.onDrop);
    window.addEventListener('beforeprint', this.openChecksForPrint);
    document.documentElement.lang = this.language;
    const linked = this.params.get('url');
    if (linked) void this.checkLinked(linked);
    // The verifier is fetched and compiled while the reader finds a file, once the page has painted (so a first visit
    // shows the page at the shell's size and the first drop does not wait for the library).
    else if ('requestIdleCallback' in window) requestIdleCallback(() => void warmUp(), { timeout: 2000 });
    else setTimeout(() => void warmUp(), 200);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('dragover', this.onDragOver);
    document.removeEventListener('dragleave', this.onDragLeave);
    document.removeEventListener('drop', this.onDrop);
    window.removeEventListener('beforeprint', this.openChecksForPrint);
    super.disconnectedCallback();
  }

  private settings(): CheckSettings {
    return {
      trust: this.trust,
      allowPrivateNetwork: this.allowPrivateNetwork,
      onRequest: (url) => {
        this.requests = [...this.requests, url];
      },
    };
  }

  private readonly onDragOver = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = true;
  };
  private readonly onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget === null) this.dragging = false;
  };
  private readonly onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = false;
    void this.checkFiles([...(event.dataTransfer?.files ?? [])]);
  };
  private readonly openChecksForPrint = () => {
    for (const details of this.querySelectorAll<HTMLDetailsElement>('details.checks')) details.open = true;
  };

  private async checkFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    performance.mark('mc:input');
    this.requests = [];
    if (files.length > MAX_FILES) {
      this.status = { kind: 'error', key: 'input.tooMany', params: { max: String(MAX_FILES) } };
      return;
    }
    this.status = { kind: 'busy', key: 'input.checking' };
    const loaded: LoadedFile[] = [];
    for (const file of files) {
      try {
        loaded.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      } catch (e) {
        this.status = { kind: 'error', key: 'input.unreadable', params: { name: file.name, error: message(e) } };
        return;
      }
    }
    await this.run(loaded);
  }

  private async checkPasted(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const text = ((event.currentTarget as HTMLFormElement).elements.namedItem('pasted') as HTMLTextAreaElement).value.trim();
    if (!text) {
      this.status = { kind: 'error', key: 'input.nothing', params: {} };
      return;
    }
    performance.mark('mc:input');
    this.requests = [];
    this.status = { kind: 'busy', key: 'input.checking' };
    await this.run([{ name: 'pasted', bytes: new TextEncoder().encode(text) }]);
  }

  private async checkLinked(url: string): Promise<void> {
    this.requests = [];
    this.status = { kind: 'busy', key: 'input.loadingUrl', params: { url } };
    try {
      const { fetchLinked } = await loadEngine();
      const file = await fetchLinked(url, this.settings());
      await this.run([file]);
    } catch (e) {
      this.status = { kind: 'error', key: 'input.urlFailed', params: { url, error: message(e) } };
    }
  }

  private async run(files: LoadedFile[]): Promise<void> {
    try {
      this.engine = await loadEngine();
      const result = await this.engine.check(files, this.settings());
      this.releaseImages();
      this.status = { kind: 'done', result };
      await this.updateComplete;
      performance.mark('mc:verdict');
      this.querySelector<HTMLElement>('#result')?.focus();
    } catch (e) {
      this.status = { kind: 'error', key: 'input.unreadable', params: { name: files.map((f) => f.name).join(', '), error: message(e) } };
    }
  }

  private releaseImages(): void {
    for (const url of this.imageUrls) URL.revokeObjectURL(url);
    this.imageUrls = [];
  }

  private readonly imageUrl = (file: LoadedFile, kind: FileKind): string | undefined => {
    const type = imageType(kind);
    if (!type) return undefined;
    const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type }));
    this.imageUrls.push(url);
    return url;
  };

  private setLanguage(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (!isLanguage(value)) return;
    this.language = value;
    this.i18n = translator(value);
    document.documentElement.lang = value;
    document.title = this.i18n.t('app.title');
  }

  private saveTrust(trust: TrustSetting[]): void {
    this.trust = trust;
    try {
      localStorage.setItem(TRUST_STORAGE_KEY, JSON.stringify(trust));
    } catch {
      // Storage may be off (private windows): the lists then last as long as the page.
    }
  }

  private async addTrust(source: TrustSetting): Promise<void> {
    const { t } = this.i18n;
    try {
      const { readTrustSetting } = await loadEngine();
      await readTrustSetting(source, this.settings());
      this.saveTrust([...this.trust.filter((s) => s.name !== source.name), source]);
      this.settingsMessage = t('settings.added', { name: source.name });
    } catch (e) {
      this.settingsMessage = t('settings.failed', { name: source.name, error: message(e) });
    }
  }

  private async addTrustUrl(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem('trustUrl') as HTMLInputElement;
    const url = field.value.trim();
    if (url) await this.addTrust({ kind: 'url', name: url, url });
  }

  private async addTrustFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    for (const file of [...(input.files ?? [])]) {
      try {
        await this.addTrust({ kind: 'file', name: file.name, json: JSON.parse(await file.text()) as unknown });
      } catch (e) {
        this.settingsMessage = this.i18n.t('settings.failed', { name: file.name, error: message(e) });
      }
    }
    input.value = '';
  }

  protected override render(): TemplateResult {
    const { t } = this.i18n;
    return html`
      <a class="skip-link" href="#result">${t('app.skip')}</a>
      <header class="page-header">
        <h1>${t('app.title')}</h1>
        <label class="language">${t('app.language')}
          <select @change=${this.setLanguage}>
            ${Object.keys(CATALOGUES).map((code) => html`<option value=${code} ?selected=${code === this.language}>${LANGUAGE_NAMES[code as Language]}</option>`)}
          </select>
        </label>
      </header>
      <main>
        <p class="intro">${t('app.intro')}</p>
        <section class="input ${this.dragging ? 'dragging' : ''}" aria-labelledby="input-heading">
          <h2 id="input-heading">${t('input.heading')}</h2>
          <div class="dropzone">
            <p class="drop-title">${t('input.drop')}</p>
            <p class="hint">${t('input.dropHint')}</p>
            <label class="button file-button">${t('input.pick')}
              <input class="file-input" type="file" multiple accept=".json,.jsonld,.jwt,.txt,.png,.svg,application/json,image/png,image/svg+xml"
                @change=${(e: Event) => { const input = e.target as HTMLInputElement; void this.checkFiles([...(input.files ?? [])]).then(() => { input.value = ''; }); }} />
            </label>
          </div>
          <form class="paste" @submit=${this.checkPasted}>
            <label for="pasted">${t('input.paste')}</label>
            <textarea id="pasted" name="pasted" rows="4" spellcheck="false"></textarea>
            <button type="submit">${t('input.check')}</button>
          </form>
        </section>
        <section id="result" class="results" tabindex="-1" aria-live="polite" aria-busy=${this.status.kind === 'busy' ? 'true' : 'false'}>
          ${this.renderStatus()}
        </section>
        ${this.renderRequests()}
        ${this.renderSettings()}
      </main>
      <footer class="page-footer">
        <p>${t('footer.privacy')}</p>
        <button type="button" class="print" @click=${() => window.print()}>${t('print.button')}</button>
      </footer>`;
  }

  private renderStatus(): TemplateResult | typeof nothing {
    const { t } = this.i18n;
    const status = this.status;
    if (status.kind === 'idle') return nothing;
    if (status.kind === 'busy') return html`<p class="busy">${t(status.key, status.params)}</p>`;
    if (status.kind === 'error') return html`<p class="error" role="alert" data-testid="input-error">${t(status.key, status.params)}</p>`;
    return this.renderResult(status.result);
  }

  private renderResult(result: CheckResult): TemplateResult {
    const ctx: CardContext = { i18n: this.i18n, imageUrl: this.imageUrl, learnerMatches: (report, who) => this.engine!.learnerMatches(report, who), level: 2 };
    switch (result.kind) {
      case 'credential':
        return credentialCard(result.report, result.file, result.fileKind, ctx);
      case 'stack':
        return stackView(result.report, ctx);
      case 'presentation':
        return presentationView(result.report, result.file, ctx);
      case 'refused':
        return html`<p class="error" role="alert" data-testid="input-error">${this.i18n.t(result.messageKey, result.params)}</p>`;
    }
  }

  private renderRequests(): TemplateResult {
    const { t } = this.i18n;
    return html`<section class="requests" aria-labelledby="requests-heading">
      <h2 id="requests-heading">${t('requests.heading')}</h2>
      ${this.requests.length === 0
        ? html`<p>${t('requests.none')}</p>`
        : html`<p>${t('requests.intro')}</p><ul data-testid="requests">${this.requests.map((url) => html`<li><code>${url}</code></li>`)}</ul>`}
    </section>`;
  }

  private renderSettings(): TemplateResult {
    const { t } = this.i18n;
    return html`<details class="settings">
      <summary><h2>${t('settings.heading')}</h2></summary>
      <p>${t('settings.intro')}</p>
      ${this.trust.length === 0
        ? html`<p>${t('settings.none')}</p>`
        : html`<ul class="trust-list">${this.trust.map(
            (source) => html`<li><span>${source.name}</span>
              <button type="button" class="link" aria-label=${t('settings.remove', { name: source.name })}
                @click=${() => this.saveTrust(this.trust.filter((s) => s !== source))}>×</button></li>`,
          )}</ul>`}
      <form @submit=${this.addTrustUrl}>
        <label for="trust-url">${t('settings.url')}</label>
        <div class="inline">
          <input id="trust-url" name="trustUrl" type="url" placeholder="https://" autocomplete="off" />
          <button type="submit">${t('settings.addUrl')}</button>
        </div>
      </form>
      <label class="trust-file-label" for="trust-file">${t('settings.file')}</label>
      <input id="trust-file" type="file" accept=".json,application/json" @change=${this.addTrustFile} />
      <p role="status" class="settings-message">${this.settingsMessage ?? nothing}</p>
    </details>`;
  }
}

function storedTrust(): TrustSetting[] {
  try {
    const stored = JSON.parse(localStorage.getItem(TRUST_STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(stored) ? stored.filter((s): s is TrustSetting => typeof s === 'object' && s !== null && typeof s.name === 'string' && (s.kind === 'file' || (s.kind === 'url' && typeof s.url === 'string'))) : [];
  } catch {
    return [];
  }
}


