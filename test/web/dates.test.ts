import { describe, expect, it } from 'vitest';
import { dateInWords, languageInWords } from '../../web/src/dates';

describe('dates on the page read as words, in UTC', () => {
  it('a date, or a moment at midnight UTC, is the day alone', () => {
    expect(dateInWords('2026-12-07', 'en')).toBe('7 December 2026');
    expect(dateInWords('2026-12-07T00:00:00Z', 'en')).toBe('7 December 2026');
    expect(dateInWords('2026-12-07', 'et')).toBe('7. detsember 2026');
  });
  it('a moment gives the time in UTC, whatever offset it was written with', () => {
    expect(dateInWords('2026-12-07T02:39:09Z', 'en')).toBe('7 December 2026, 02:39 UTC');
    expect(dateInWords('2026-12-07T01:30:00+02:00', 'en')).toBe('6 December 2026, 23:30 UTC');
    expect(dateInWords('2026-12-07T14:05:00.123Z', 'et')).toBe('7. detsember 2026, 14:05 UTC');
  });
  it('anything else is shown as written', () => {
    for (const odd of [
      '2026-02-31',
      '2026-13-01',
      'yesterday',
      '',
      '2026-12-07T02:39',
      '2026-12-07 02:39:09Z',
      '<b>2026</b>',
    ])
      expect(dateInWords(odd, 'en')).toBe(odd);
  });
});

describe('the expiry headline reads its date in words too', () => {
  it('"Expired on 10 January 2024", not the ISO date, in each language', async () => {
    const { headlineWords } = await import('../../web/src/views');
    const { translator } = await import('../../web/src/i18n/index');
    const verdict = {
      outcome: 'expired',
      headline: 'Expired on 2024-01-10',
      headlineKey: 'verdict.expired',
      headlineParams: { date: '2024-01-10' },
    } as unknown as Parameters<typeof headlineWords>[0];
    expect(headlineWords(verdict, translator('en'))).toBe('Expired on 10 January 2024');
    expect(headlineWords(verdict, translator('et'))).toBe('Kehtivus lõppes 10. jaanuar 2024');
    // The verdict itself is not changed: the library's words stay as the library gave them.
    expect(verdict.headlineParams.date).toBe('2024-01-10');
  });

  it('"Valid until" under "What it certifies" reads like "Issued", the ISO form one hover away', async () => {
    const { elementValue } = await import('../../web/src/views');
    const shown = elementValue({ key: 'validUntil', label: 'Valid until', value: '2024-01-10T00:00:00Z' }, 'en');
    expect(typeof shown).not.toBe('string');
    expect((shown as { values: unknown[] }).values).toContain('10 January 2024');
  });
});

describe("a credential's language reads as a name in the page's language, not a code", () => {
  it('names the language on the English and the Estonian page', () => {
    expect(languageInWords('et', 'en')).toBe('Estonian');
    expect(languageInWords('et, en', 'en')).toBe('Estonian, English');
    expect(languageInWords('et', 'et')).toBe('eesti');
  });
  it('a tag nobody can name, or one that is not a tag, is shown as written', () => {
    expect(languageInWords('qqx', 'en')).toBe('qqx');
    expect(languageInWords('not a tag!', 'en')).toBe('not a tag!');
  });
});
