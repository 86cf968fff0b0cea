import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en';
import { et } from '../../web/src/i18n/et';
import { CATALOGUES, fill, initialLanguage } from '../../web/src/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the page speaks every language completely', () => {
  for (const [language, catalogue] of Object.entries(CATALOGUES)) {
    it(`${language} has every key of the English catalogue, no other, none empty, and no placeholder the English lacks`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const translated = (catalogue as Record<string, string>)[key]!;
        expect(translated.trim(), key).not.toBe('');
        // A language may leave a value out (Estonian declines nouns, so it words some sentences without {noun}).
        expect(placeholders(text), key).toEqual(expect.arrayContaining(placeholders(translated)));
      }
    });
  }

  it('Estonian is a translation, not a copy of the English', () => {
    const same = Object.keys(en).filter((k) => (et as Record<string, string>)[k] === (en as Record<string, string>)[k]);
    expect(same).toEqual([]);
  });

  it('fills placeholders and leaves a missing one visible; ?lang= beats the browser, which beats English', () => {
    expect(fill('Revoked on {date} by {issuer}', { date: '1 May 2025' })).toBe('Revoked on 1 May 2025 by {issuer}');
    expect(initialLanguage('?lang=et', ['en-GB'])).toBe('et');
    expect(initialLanguage('', ['et-EE', 'en'])).toBe('et');
    expect(initialLanguage('?lang=xx', ['fr'])).toBe('en');
  });
});

describe("the catalogues know the library's verdict keys", () => {
  it('headline, reason and element keys of the verdicts a reader meets most are in the English catalogue', async () => {
    const { verify, parseTrustSource } = await import('microcredentials');
    const { seedFixtures, revokedFixtures, registryFor } = await import('./fixtures');
    const seed = await seedFixtures();
    const LIST = 'https://status.example/lists/1';
    const revoked = await revokedFixtures(seed, LIST);
    const { proof: _dropped, ...unsigned } = seed.jsonLd;
    void _dropped;
    const reports = await Promise.all([
      verify(seed.jsonLd),
      verify(seed.jsonLd, { trust: { sources: [parseTrustSource(registryFor(seed), { name: 'a registry' })] } }),
      verify(seed.tampered),
      verify(unsigned),
      verify(revoked.credential, { fetchStatusList: async () => structuredClone(revoked.list) }),
      verify(revoked.credential),
    ]);
    expect(reports.map((r) => r.verdict.outcome)).toEqual([
      'authentic-unconfirmed',
      'authentic',
      'tampered',
      'invalid',
      'revoked',
      'status-not-checked',
    ]);
    const keys = reports.flatMap((r) => [
      r.verdict.headlineKey,
      ...r.verdict.reasons.map((x) => x.key),
      ...r.verdict.elements.map((e) => `element.${e.key}`),
    ]);
    expect([...new Set(keys)].filter((k) => !Object.hasOwn(en, k))).toEqual([]);
  });
});
