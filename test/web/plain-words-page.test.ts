/**
 * The verifier page on files that cannot be read as a credential, or are built to trip the verifier: the headline and
 * the reasons under it tell an HR person what the file is and what to do, with no JSON path, no `__proto__`, no
 * "JavaScript" and no error code; the library's message, code and path are one click away, in "Show the checks
 * behind this result". Files are picked with the file input, as a person picks them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium } from '../helpers/browser';
import { DEVELOPER_WORDS } from '../helpers/plain-words';
import { badgePng, seedFixtures, type SeedFixtures } from './fixtures';
import { buildPage, launch, openPage, servePage, textOf, verdictOn, type Served } from './harness';

// Same gate as the page's other browser tests: skipped only on a machine without Chromium, never in CI.
const run = hasChromium || process.env.CI ? describe : describe.skip;

const NOT_A_CREDENTIAL =
  'This file is not a credential: ask the learner for the credential file or badge image their institution sent';
const UNSAFE =
  'This file is not a credential that can be read safely: ask the learner for the file their institution sent';

interface Case {
  what: string;
  file: (seed: SeedFixtures) => { name: string; mimeType: string; buffer: Buffer };
  headline: string;
  reason: string;
  /** The failed check's row in the checks table: the library's message, code and path. */
  technical: RegExp;
}

const jwt = (payload: string) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(payload).toString('base64url')}.c2ln`;
const text = (name: string, body: string, mimeType = 'application/json') => ({
  name,
  mimeType,
  buffer: Buffer.from(body),
});
const seedText = (seed: SeedFixtures) => JSON.stringify(seed.jsonLd, null, 2);

const CASES: Case[] = [
  {
    what: 'a file that is not a credential at all',
    file: () => text('cv.txt', 'Mari Maasikas, CV\n', 'text/plain'),
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /neither JSON nor a compact JWS\s*INVALID_INPUT\s*\$$/,
  },
  {
    what: 'a credential that names a member twice',
    file: (seed) => text('duplicate.json', seedText(seed).replace('{', '{\n  "name": "A forged title",')),
    headline: UNSAFE,
    reason: 'It gives the same item twice, so it can be read in two different ways',
    technical: /names \$\.name twice.*DUPLICATE_KEY\s*\$\.name$/,
  },
  {
    what: 'a credential with a member named __proto__',
    file: (seed) =>
      text(
        'proto.json',
        seedText(seed).replace('"credentialSubject": {', '"credentialSubject": {"__proto__": {"isAdmin": true},'),
      ),
    headline: UNSAFE,
    reason: 'It has an item with a name that software can misread, so it can be read in two different ways',
    technical: /"__proto__".*JavaScript.*INVALID_INPUT\s*\$\.credentialSubject\.__proto__$/,
  },
  {
    what: 'a JWT whose payload has a member named __proto__',
    file: () => text('proto.jwt', jwt('{"__proto__":{"a":1},"vc":{}}'), 'application/jwt'),
    headline: UNSAFE,
    reason: 'It has an item with a name that software can misread, so it can be read in two different ways',
    technical: /The JWT payload has a member named "__proto__".*INVALID_INPUT\s*\$\.__proto__$/,
  },
  {
    what: 'a PNG with no credential baked in',
    file: () => ({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(badgePng()) }),
    headline:
      'This image has no credential in it: ask the learner for the badge image or credential file their institution sent',
    reason: 'The image does not carry a credential',
    technical: /No credential is baked into this PNG\s*INVALID_IMAGE\s*\$$/,
  },
  {
    what: 'a credential far larger than any real one',
    file: (seed) => text('large.json', JSON.stringify({ ...seed.jsonLd, description: 'x'.repeat(4_300_000) })),
    headline: UNSAFE,
    reason: 'It is too large or too deeply nested to be read safely',
    technical: /Document of \d+ characters exceeds the \d+ limit\s*CANONICALIZATION_LIMIT\s*\$$/,
  },
  {
    what: 'a JSON file that is not a credential (no @context): not "changed after it was signed"',
    file: () => text('cv.json', JSON.stringify({ name: 'Mari Maasikas', skills: ['Excel'] })),
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /The credential has no @context\s*INVALID_INPUT\s*\$\["@context"\]$/,
  },
  {
    what: 'a credential nested past what the verifier walks: not "changed after it was signed"',
    file: (seed) =>
      text(
        'deep.json',
        seedText(seed).replace(
          '"credentialSubject": {',
          `"credentialSubject": {"name": ${'['.repeat(300)}"x"${']'.repeat(300)},`,
        ),
      ),
    headline: UNSAFE,
    reason: 'It is too large or too deeply nested to be read safely',
    technical: /\(nesting too deep\).*CANONICALIZATION_LIMIT\s*\$$/,
  },
];

run('the verifier page: a file it cannot read, in plain words', () => {
  let browser: Browser;
  let site: Served;
  let seed: SeedFixtures;

  beforeAll(async () => {
    const folder = await buildPage('loopback-test');
    [site, browser, seed] = await Promise.all([servePage(folder), launch(), seedFixtures()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** What a person reads first: the headline and the reasons under it. */
  async function personFacing(page: Page) {
    const { headline } = await verdictOn(page);
    const reasons = (await page.locator('.reasons li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    return { headline, reasons };
  }

  for (const c of CASES) {
    it(`${c.what}: what it is and what to do; the message, code and path one click away`, async () => {
      const opened = await openPage(browser, site.url);
      const { page } = opened;
      await page.setInputFiles('input[type=file].file-input', c.file(seed));
      const { headline, reasons } = await personFacing(page);
      expect(headline).toBe(c.headline);
      expect(reasons[0]).toBe(c.reason);
      for (const words of [headline, ...reasons]) expect(words).not.toMatch(DEVELOPER_WORDS);
      expect(await textOf(page.locator('.tone-word'))).toBe('Do not rely on it');

      // The technical detail is kept, behind the disclosure a person need not open.
      const checks = page.locator('details.checks');
      expect(await checks.getAttribute('open')).toBeNull();
      await checks.locator('summary').click();
      const failed = page.locator('details.checks tr.check-fail td:last-child');
      const rows = (await failed.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      expect(
        rows.some((row) => c.technical.test(row)),
        rows.join('\n'),
      ).toBe(true);
      expect(opened.problems).toEqual([]);
      await page.context().close();
    });
  }

  it('in Estonian: the headline and the reason it quotes are both Estonian', async () => {
    const opened = await openPage(browser, site.url, '?lang=et');
    const { page } = opened;
    // A credential in vocabulary the verifier does not know: the headline quotes that reason.
    const context = (seed.jsonLd as { '@context': string[] })['@context'];
    const unknown = { ...seed.jsonLd, '@context': [...context, 'https://vocab.example/unknown/v1'] };
    await page.setInputFiles('input[type=file].file-input', text('unknown.json', JSON.stringify(unknown)));
    const { headline, reasons } = await personFacing(page);
    expect(headline).toBe(
      'Allkirja ei õnnestunud kontrollida: ära usalda selle sisu (See kasutab sõnavara, mida kontrollija ei tunne)',
    );
    expect(reasons[0]).toBe('See kasutab sõnavara, mida kontrollija ei tunne');
    await page.setInputFiles('input[type=file].file-input', CASES[2]!.file(seed));
    await expect
      .poll(() => textOf(page.locator('[data-testid=headline]')))
      .toBe('Seda faili ei saa tunnistusena ohutult lugeda: küsi õppijalt fail, mille tema õppeasutus saatis');
    expect(opened.problems).toEqual([]);
    await page.context().close();
  });
});
