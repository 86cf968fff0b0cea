import { dateInWords } from '../../web/src/dates';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import {
  ARTIFACTS,
  buildPage,
  drop,
  launch,
  listedRequests,
  openPage,
  textOf,
  serveNetwork,
  servePage,
  verdictOn,
  type Network,
  type Served,
} from './harness';
import {
  LEARNER,
  presentationOf,
  registryFor,
  revokedFixtures,
  seedFixtures,
  stackFixtures,
  type Json,
  type SeedFixtures,
} from './fixtures';

// Same gate as test/browser.test.ts: skipped only on a machine without Chromium, never in CI.
const run = hasChromium || process.env.CI ? describe : describe.skip;

run('the verifier page in Chromium', () => {
  let browser: Browser;
  let site: Served;
  let network: Network;
  let seed: SeedFixtures;
  let stack: Json[];
  let presentation: Json;
  let revoked: Json;
  const json = (name: string, value: unknown) => ({
    name,
    type: 'application/json',
    bytes: JSON.stringify(value, null, 2),
  });

  beforeAll(async () => {
    const folder = await buildPage('loopback-test');
    [site, network, browser, seed] = await Promise.all([servePage(folder), serveNetwork(), launch(), seedFixtures()]);
    stack = await stackFixtures(seed);
    presentation = await presentationOf(seed.jsonLd);
    const list = `${network.url}/status/1`;
    const r = await revokedFixtures(seed, list);
    revoked = r.credential;
    network.route('/status/1', r.list);
    network.route('/registry.json', registryFor(seed));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await network?.close();
  });

  /** Every request the page made is one of its own files or one it lists on the page. */
  async function onlyListedRequests(opened: Awaited<ReturnType<typeof openPage>>) {
    const listed = await listedRequests(opened.page);
    const foreign = opened.requests.filter(
      (u) => !u.startsWith(site.url) && !u.startsWith('blob:') && !u.startsWith('data:'),
    );
    expect(foreign.filter((u) => !listed.includes(u))).toEqual([]);
    return listed;
  }

  const unconfirmed =
    /^Authentic, but the issuer's identity is not confirmed \(it calls itself "University of Tartu"\), passed with grade A$/;
  const cases: [string, () => { name: string; type: string; bytes: Uint8Array | string }][] = [
    ['a JSON-LD credential (Data Integrity)', () => json('seed.json', seed.jsonLd)],
    ['a VC-JWT', () => ({ name: 'seed.jwt', type: 'application/jwt', bytes: seed.vcJwt })],
    ['an enveloped credential', () => json('enveloped.json', seed.enveloped)],
    ['a baked PNG badge', () => ({ name: 'badge.png', type: 'image/png', bytes: seed.png })],
    ['a baked SVG badge', () => ({ name: 'badge.svg', type: 'image/svg+xml', bytes: seed.svg })],
  ];
  for (const [what, file] of cases) {
    it(`${what}, dropped: authentic, issuer not confirmed; no request at all`, async () => {
      const opened = await openPage(browser, site.url);
      await drop(opened.page, [file()]);
      const verdict = await verdictOn(opened.page);
      expect(verdict.outcome).toBe('authentic-unconfirmed');
      expect(verdict.headline).toMatch(unconfirmed);
      expect(await onlyListedRequests(opened)).toEqual([]);
      expect(opened.problems).toEqual([]);
      await opened.page.context().close();
    });
  }

  it('a pasted credential, and the candidate check: the right e-mail matches, another does not', async () => {
    const opened = await openPage(browser, site.url);
    await opened.page.fill('#pasted', JSON.stringify(seed.jsonLd));
    await opened.page.click('form.paste button[type=submit]');
    expect((await verdictOn(opened.page)).outcome).toBe('authentic-unconfirmed');
    // The date of issuing reads as words for the employer, with the date as written one hover away.
    const issued = opened.page.locator('.element time');
    const written = (await issued.getAttribute('datetime'))!;
    expect(written).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(await issued.getAttribute('title')).toBe(written);
    expect(await textOf(issued)).toBe(dateInWords(written, 'en'));
    expect(await textOf(issued)).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}/);
    const field = opened.page.getByLabel("Enter the candidate's e-mail address");
    await field.fill(LEARNER.email);
    await field.press('Enter');
    await expect
      .poll(() => textOf(opened.page.locator('[data-testid=learner-answer]')))
      .toBe(`This credential was issued to ${LEARNER.email}.`);
    await field.fill('someone.else@example.ee');
    await field.press('Enter');
    await expect
      .poll(() => textOf(opened.page.locator('[data-testid=learner-answer]')))
      .toBe('This credential was not issued to someone.else@example.ee.');
    await opened.page.context().close();
  });

  it('a file picked with the file input', async () => {
    const opened = await openPage(browser, site.url);
    await opened.page.setInputFiles('input.file-input', {
      name: 'badge.png',
      mimeType: 'image/png',
      buffer: Buffer.from(seed.png),
    });
    expect((await verdictOn(opened.page)).outcome).toBe('authentic-unconfirmed');
    await expect.poll(() => opened.page.locator('img.badge').count()).toBe(1);
    await opened.page.context().close();
  });

  it('a tampered credential: changed after signing, and none of its content is shown', async () => {
    const opened = await openPage(browser, site.url);
    await drop(opened.page, [json('tampered.json', seed.tampered)]);
    const verdict = await verdictOn(opened.page);
    expect(verdict.outcome).toBe('tampered');
    expect(verdict.headline).toMatch(/^Changed after it was signed/);
    expect(await textOf(opened.page.locator('#result'))).not.toContain('Doctor of Philosophy');
    await opened.page.context().close();
  });

  it('a revoked credential: its status list is fetched from the host it names, listed on the page', async () => {
    const opened = await openPage(browser, site.url, '?allowPrivateNetwork=1');
    await drop(opened.page, [json('revoked.json', revoked)]);
    const verdict = await verdictOn(opened.page);
    expect(verdict.outcome).toBe('revoked');
    expect(verdict.headline).toMatch(/^Revoked/);
    expect(await onlyListedRequests(opened)).toEqual([`${network.url}/status/1`]);
    await opened.page.context().close();
  });

  it('a well-signed presentation of a revoked credential: the presentation checks out, the credential reads revoked', async () => {
    const opened = await openPage(browser, site.url, '?allowPrivateNetwork=1');
    await drop(opened.page, [json('presentation.json', await presentationOf(revoked))]);
    await opened.page.locator('[data-testid=presentation-summary]').waitFor();
    expect(await textOf(opened.page.locator('[data-testid=presentation-summary]'))).toMatch(
      /^The presentation checks out: it was signed by the holder/,
    );
    expect(await opened.page.locator('#result article[data-outcome]').getAttribute('data-outcome')).toBe('revoked');
    // The holder's DID is one long word: at phone width it wraps inside its card rather than running out of it.
    await opened.page.setViewportSize({ width: 390, height: 900 });
    expect(await opened.page.locator('p.holder').evaluate((p) => p.scrollWidth <= p.clientWidth)).toBe(true);
    await opened.page.context().close();
  });

  it('the same issuer in a registry given to the page: confirmed by it', async () => {
    const registry = `${network.url}/registry.json`;
    const opened = await openPage(browser, site.url, `?allowPrivateNetwork=1&trust=${encodeURIComponent(registry)}`);
    await drop(opened.page, [json('seed.json', seed.jsonLd)]);
    const verdict = await verdictOn(opened.page);
    expect(verdict.outcome).toBe('authentic');
    expect(verdict.headline).toMatch(
      /^Authentic micro-credential from University of Tartu \(confirmed by .*registry.*\), passed with grade A$/,
    );
    expect(await textOf(opened.page.locator('[data-testid=issuer-confirmation]'))).toMatch(/^Identity confirmed by/);
    expect(await onlyListedRequests(opened)).toEqual([registry]);
    await opened.page.context().close();
  });

  it('a presentation: its own checks, then the credential; one signed days ago is not refused as stale (the page asked for nothing)', async () => {
    const opened = await openPage(browser, site.url);
    await drop(opened.page, [json('presentation.json', presentation)]);
    await opened.page.locator('[data-testid=presentation-summary]').waitFor();
    const notAsked =
      'The presentation checks out: it was signed by the holder of these credentials. This page did not ask for it, so it does not show that they are the one sending it to you now.';
    expect(await textOf(opened.page.locator('[data-testid=presentation-summary]'))).toBe(notAsked);
    const old = await presentationOf(seed.jsonLd, new Date(Date.now() - 3 * 86_400_000).toISOString());
    const again = await openPage(browser, site.url);
    await drop(again.page, [json('old-presentation.json', old)]);
    await again.page.locator('[data-testid=presentation-summary]').waitFor();
    expect(await textOf(again.page.locator('[data-testid=presentation-summary]'))).toBe(notAsked);
    await again.page.context().close();
    expect(await opened.page.locator('#result article[data-outcome]').getAttribute('data-outcome')).toBe(
      'authentic-unconfirmed',
    );
    await opened.page.context().close();
  });

  it('several files at once are checked as a stack', async () => {
    const opened = await openPage(browser, site.url);
    await drop(
      opened.page,
      stack.map((c, i) => json(`part-${i}.json`, c)),
    );
    const verdict = await verdictOn(opened.page);
    expect(verdict.outcome).toBe('stack-complete');
    expect(verdict.headline).toBe('A programme of 6 credentials');
    expect(await opened.page.locator('#result article[data-outcome=authentic-unconfirmed]').count()).toBe(6);
    await opened.page.context().close();
  });

  it('?url= loads a credential from a link (listed)', async () => {
    network.route('/seed.json', seed.jsonLd);
    const linked = `${network.url}/seed.json`;
    const opened = await openPage(browser, site.url, `?allowPrivateNetwork=1&url=${encodeURIComponent(linked)}`);
    expect((await verdictOn(opened.page)).outcome).toBe('authentic-unconfirmed');
    expect(await onlyListedRequests(opened)).toEqual([linked]);
    await opened.page.context().close();
  });

  it('the production build ignores allowPrivateNetwork and its CSP refuses loopback: a link cannot aim the page at a private address', async () => {
    const production = await servePage(await buildPage('production'));
    try {
      const html = fs.readFileSync(path.resolve('dist-web/index.html'), 'utf8');
      expect(html).toMatch(/connect-src https:;/);
      expect(html).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      network.route('/private.json', seed.jsonLd);
      const before = network.asked.length;
      const opened = await openPage(
        browser,
        production.url,
        `?allowPrivateNetwork=1&url=${encodeURIComponent(`${network.url}/private.json`)}`,
      );
      await opened.page.locator('[data-testid=input-error]').waitFor();
      expect(await textOf(opened.page.locator('[data-testid=input-error]'))).toMatch(
        /^Could not load the credential from/,
      );
      expect(network.asked.length).toBe(before);
      await opened.page.context().close();
    } finally {
      await production.close();
    }
  });

  it('in Estonian: the headline from the Estonian catalogue', async () => {
    const opened = await openPage(browser, site.url, '?lang=et');
    await drop(opened.page, [json('tampered.json', seed.tampered)]);
    expect((await verdictOn(opened.page)).headline).toBe(
      'Seda on pärast allkirjastamist muudetud: ära usalda selle sisu',
    );
    expect(await opened.page.locator('html').getAttribute('lang')).toBe('et');
    await opened.page.context().close();
  });

  it('axe-core finds no serious or critical violation, before and after a result; screenshots at 1280 and 390 px', async () => {
    const axe = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    for (const width of [1280, 390]) {
      const opened = await openPage(browser, site.url, '', { width, height: 900 });
      const audit = async () => {
        await opened.page.evaluate(axe);
        const results = (await opened.page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
          violations: { id: string; impact: string; nodes: unknown[] }[];
        };
        return results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
      };
      expect(await audit()).toEqual([]);
      await drop(opened.page, [{ name: 'badge.png', type: 'image/png', bytes: seed.png }]);
      await verdictOn(opened.page);
      await opened.page.evaluate(() =>
        document.querySelectorAll('details').forEach((d) => {
          d.open = true;
        }),
      );
      expect(await audit()).toEqual([]);
      // Nothing wider than the window at phone width.
      expect(await opened.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await opened.page.screenshot({ path: path.join(ARTIFACTS, `result-${width}.png`), fullPage: true });
      if (width === 1280) {
        // What "Print or save as PDF" gives: the result and its checks, without the input, settings or buttons.
        await opened.page.emulateMedia({ media: 'print' });
        expect(await opened.page.locator('section.input').isVisible()).toBe(false);
        await opened.page.screenshot({ path: path.join(ARTIFACTS, 'result-print.png'), fullPage: true });
        await opened.page.emulateMedia({ media: 'screen' });
      }
      expect(opened.problems).toEqual([]);
      await opened.page.context().close();
    }
  });

  it('works by keyboard alone: Tab reaches the file picker, the paste box and its button', async () => {
    const opened = await openPage(browser, site.url);
    const focused: string[] = [];
    for (let i = 0; i < 6; i++) {
      await opened.page.keyboard.press('Tab');
      focused.push(
        await opened.page.evaluate(() => {
          const e = document.activeElement;
          return e
            ? `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}`
            : '';
        }),
      );
    }
    expect(focused).toEqual(expect.arrayContaining(['input.file-input', 'textarea#pasted']));
    await opened.page.fill('#pasted', JSON.stringify(seed.tampered));
    await opened.page.focus('#pasted');
    await opened.page.keyboard.press('Tab');
    await opened.page.keyboard.press('Enter');
    expect((await verdictOn(opened.page)).outcome).toBe('tampered');
    await opened.page.context().close();
  });
});
