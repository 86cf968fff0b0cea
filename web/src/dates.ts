/**
 * A credential's date as a person reads it, in the page's language: "7 December 2026" for a date (or midnight UTC),
 * "7 December 2026, 02:39 UTC" for a moment. Shown in UTC, the one zone that reads the same for the learner, the
 * issuer and the employer. Anything that is not an ISO 8601 date or date-time is returned as written.
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function dateInWords(value: string, language: string): string {
  const m = ISO_DATE_TIME.exec(value.trim());
  if (!m) return value;
  const hasTime = m[4] !== undefined;
  const instant = new Date(hasTime ? value.trim() : `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  // Reject what Date.parse rounds into another day (2026-02-31) or cannot read.
  if (Number.isNaN(instant.getTime())) return value;
  if (!hasTime && instant.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) return value;
  // British English: day before month, as read across the EU, not the United States' "December 7, 2026".
  const locale = language === 'en' ? 'en-GB' : language;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(instant);
  if (!hasTime || instant.getTime() % 86_400_000 === 0) return date;
  const time = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(instant);
  return `${date}, ${time} UTC`;
}

/**
 * A credential's language tags ("et", "et, en") named in the page's language: "Estonian" on the English page, "eesti"
 * on the Estonian one. A tag the browser cannot name is returned as written.
 */
export function languageInWords(tags: string, language: string): string {
  return tags
    .split(/,\s*/)
    .map((tag) => {
      try {
        return new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }).of(tag.trim()) ?? tag;
      } catch {
        return tag; // not a well-formed language tag
      }
    })
    .join(', ');
}
