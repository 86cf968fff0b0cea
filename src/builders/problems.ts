import { MicrocredError, childPath, type Problem } from '../errors';

/**
 * Collects every problem in a builder's input so the caller sees all of them in one error,
 * not one per attempt. Paths are JSON paths into the builder input (`$.learningOutcomes[2]`).
 */
export class ProblemCollector {
  readonly problems: Problem[] = [];

  missing(path: string, message: string): void {
    this.problems.push({ code: 'MISSING_ELEMENT', path, message });
  }

  invalid(path: string, message: string): void {
    this.problems.push({ code: 'INVALID_ELEMENT', path, message });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  throwIfAny(summary: string): void {
    if (this.problems.length > 0) throw MicrocredError.fromProblems(this.problems, summary);
  }

  /** A required non-empty string; returns it trimmed, or undefined after recording the problem. */
  requireText(value: unknown, path: string, what: string): string | undefined {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      this.missing(path, `${what} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.invalid(path, `${what} must be a string`);
      return undefined;
    }
    return value.trim();
  }

  optionalText(value: unknown, path: string, what: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.invalid(path, `${what} must be a string`);
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** A URI: an absolute IRI with a scheme (URL, URN or DID). */
  requireUri(value: unknown, path: string, what: string): string | undefined {
    const text = this.requireText(value, path, what);
    if (text !== undefined && !isAbsoluteIri(text)) {
      this.invalid(path, `${what} must be an absolute URI (https://…, urn:…, did:…), got ${JSON.stringify(text)}`);
      return undefined;
    }
    return text;
  }

  optionalUri(value: unknown, path: string, what: string): string | undefined {
    const text = this.optionalText(value, path, what);
    if (text !== undefined && !isAbsoluteIri(text)) {
      this.invalid(path, `${what} must be an absolute URI (https://…, urn:…, did:…), got ${JSON.stringify(text)}`);
      return undefined;
    }
    return text;
  }

  /** A required non-empty array (the Annex's "one or more"). */
  requireList(value: unknown, path: string, what: string): unknown[] | undefined {
    if (value === undefined || value === null) {
      this.missing(path, `${what} is required (at least one)`);
      return undefined;
    }
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) {
      this.missing(path, `${what} needs at least one entry`);
      return undefined;
    }
    return list;
  }
}

export { childPath };

/** Absolute IRI: scheme ":" then something, no spaces. Relative IRIs would break JSON-LD safe mode. */
export function isAbsoluteIri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(text);
}

/** ISO 8601 / XML Schema dateTime with a zone, as OB 3.0 requires for validFrom and friends. */
export function isDateTimeWithZone(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))
  );
}

/** Normalises a Date or date string to an XML Schema dateTime in UTC without milliseconds. */
export function toDateTime(value: unknown, path: string, what: string, problems: ProblemCollector): string | undefined {
  if (value === undefined || value === null) return undefined;
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) date = new Date(`${value}T00:00:00Z`);
    else if (isDateTimeWithZone(value)) return value;
    else {
      problems.invalid(
        path,
        `${what} must be a date (YYYY-MM-DD) or a dateTime with a time zone, got ${JSON.stringify(value)}`,
      );
      return undefined;
    }
  } else {
    problems.invalid(path, `${what} must be a Date or an ISO 8601 string`);
    return undefined;
  }
  if (Number.isNaN(date.getTime())) {
    problems.invalid(path, `${what} is not a valid date`);
    return undefined;
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
