import { describe, expect, it } from 'vitest';
import { dateInWords } from '../../web/src/dates';

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
