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
