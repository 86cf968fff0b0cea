import { childPath } from '../errors';
import { classAt, SHAPES } from './shape';
import type { GeneratedValidatorError } from './validators.generated';

/** One schema violation, located by the library's JSON path (`$.credentialSubject.achievement.name`). */
export interface SchemaIssue {
  path: string;
  message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `pattern`, …; `conformance` for checkConformance). */
  keyword: string;
}

/** Annex I of the Council Recommendation: which element a property of our encoding carries. */
const ANNEX_ELEMENT: Readonly<Record<string, string>> = {
  'credentialSubject.id': 'Annex I element 1: identification of the learner',
  'credentialSubject.identifier': 'Annex I element 1: identification of the learner',
  'achievement.name': 'Annex I element 2: title',
  'address.addressCountryCode': 'Annex I element 3: country of the issuer / awarding body',
  'achievement.awardingBody': 'Annex I element 4: awarding body(ies)',
  validFrom: 'Annex I element 5: date of issuing',
  'achievement.learningOutcome': 'Annex I element 6: learning outcomes',
  'achievement.creditPoint': 'Annex I element 7: notional workload',
  'achievement.volumeOfLearning': 'Annex I element 7: notional workload',
  'achievement.eqfLevel': 'Annex I element 8: level (EQF)',
  'achievement.assessment': 'Annex I element 9: type of assessment',
  'achievement.mode': 'Annex I element 10: form of participation',
  'achievement.accreditation': 'Annex I element 11: type of quality assurance',
};

/** `anyOf` sites of the schemas where each alternative is "this property is present". */
const REQUIRED_ALTERNATIVES: readonly (readonly string[])[] = [
  ['id', 'identifier'],
  ['creditPoint', 'volumeOfLearning'],
];

/** Readable messages for the schemas' patterns and formats (ajv would print the regular expression). */
const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  '^[A-Za-z][A-Za-z0-9+.-]*:': 'must be an absolute URI (https://…, urn:…, did:…)',
  '^ext:[A-Za-z0-9._-]+$': 'must be "ext:" followed by a name (letters, digits, ".", "_", "-")',
  '^[A-Z]{2}$': 'must be an ISO 3166-1 alpha-2 country code such as "EE"',
  '^(0|[1-9][0-9]*)(\\.[0-9]+)?$': 'must be a decimal number written as a string, such as "6" or "2.5"',
  '\\S': 'must not be empty',
  '^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?!$)([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?$':
    'must be an xsd:duration such as "PT156H" or "P4M" (no weeks)',
  '^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$': 'must be a language tag such as "en", "et" or "en-GB"',
};
const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  'date-time': 'must be a date-time with a time zone, such as "2026-01-31T12:00:00Z"',
  date: 'must be a date such as "2001-12-31"',
  uri: 'must be an absolute IRI (for concepts, e.g. "http://data.europa.eu/snb/eqf/6")',
};

/** Keywords that describe the form of one value; alternatives of an `anyOf` at the same place merge into one issue. */
const FORM_KEYWORDS = new Set(['type', 'enum', 'const', 'pattern', 'format']);

/**
 * Turns ajv's errors into issues: JSON paths instead of JSON Pointers (a missing property's path names it), one
 * issue per failed alternative set instead of ajv's branch-by-branch report, and messages that name the expected
 * type names and, for the EU schema, the Annex I element.
 */
export function toIssues(
  errors: readonly GeneratedValidatorError[],
  data: unknown,
  options: { eu: boolean; lenient: boolean },
): SchemaIssue[] {
  const dropped = new Set<GeneratedValidatorError>();
  const rewritten = new Map<GeneratedValidatorError, string>();

  for (const contains of errors) {
    // ajv keeps the per-item failures of `contains`; "type[0] must be equal to constant" only repeats the point.
    if (contains.keyword !== 'contains') continue;
    const item = new RegExp(`^${escapeRegExp(contains.instancePath)}/\\d+$`);
    for (const e of errors)
      if ((e.keyword === 'const' || e.keyword === 'enum') && item.test(e.instancePath)) dropped.add(e);
  }

  for (const anyOf of errors) {
    if (anyOf.keyword !== 'if' && anyOf.keyword !== 'anyOf') continue;
    dropped.add(anyOf); // `if` only says "then failed"; the failures of `then` are reported themselves
    if (anyOf.keyword === 'if') continue;
    const here = errors.filter((e) => e !== anyOf && e.instancePath === anyOf.instancePath);
    const alternatives = REQUIRED_ALTERNATIVES.find((group) =>
      group.every((name) => here.some((e) => e.keyword === 'required' && e.params.missingProperty === name)),
    );
    if (alternatives) {
      for (const e of here) {
        if (e.keyword === 'required' && alternatives.includes(String(e.params.missingProperty))) {
          rewritten.set(e, `is missing: give ${alternatives.map((a) => `"${a}"`).join(' or ')}`);
        }
      }
      continue;
    }
    let forms = here.filter((e) => FORM_KEYWORDS.has(e.keyword));
    // A branch that failed on the JSON type is beside the point when another branch got further (the issuer is
    // an object with a bad address: "must be string" would mislead).
    const deeper = errors.some((e) => !dropped.has(e) && e.instancePath.startsWith(`${anyOf.instancePath}/`));
    if (deeper || here.some((e) => !FORM_KEYWORDS.has(e.keyword) && e.keyword !== 'anyOf' && e.keyword !== 'if')) {
      for (const e of forms.filter((f) => f.keyword === 'type')) dropped.add(e);
      forms = forms.filter((f) => f.keyword !== 'type');
    }
    if (forms.length === 0) continue;
    for (const e of forms) dropped.add(e);
    dropped.delete(anyOf);
    const messages = [...new Set(forms.map((e) => plainMessage(e)))];
    rewritten.set(anyOf, messages.join(', or '));
  }

  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (dropped.has(e)) continue;
    const keys = pointerKeys(e.instancePath, data);
    if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') keys.push(e.params.missingProperty);
    const path = keys.reduce<string>((p, k) => childPath(p, k), '$');
    let message = rewritten.get(e) ?? describe(e, keys, data, options.lenient);
    if (options.eu) {
      const element = annexElement(keys);
      if (element && (e.keyword === 'required' || !message.includes('Annex I'))) message = `${message} (${element})`;
    }
    const key = `${path}\u0000${e.keyword}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path, message, keyword: e.keyword });
  }
  return issues;
}

function describe(e: GeneratedValidatorError, keys: (string | number)[], data: unknown, lenient: boolean): string {
  if (e.keyword === 'required') return 'is missing';
  if (e.keyword === 'contains') {
    const last = keys[keys.length - 1];
    if (keys.length === 1 && last === '@context')
      return 'must contain "https://w3id.org/microcredentials/v1", the context that defines the EU terms';
    if (last === 'type') {
      const cls = classAt(keys.slice(0, -1));
      if (cls === 'Credential' || cls === 'EndorsementCredential') {
        return e.schemaPath.includes('/allOf/')
          ? `must contain ${cls === 'Credential' ? '"AchievementCredential" or "OpenBadgeCredential"' : '"EndorsementCredential"'}`
          : 'must contain "VerifiableCredential"';
      }
      const typeName = cls ? SHAPES[cls].typeName : undefined;
      if (typeName) return `must contain "${typeName}"`;
    }
  }
  const message = plainMessage(e);
  if (!lenient && e.keyword === 'type' && e.params.type === 'array' && valueAt(keys, data) !== undefined) {
    return `${message} (a single value is valid compacted JSON-LD; validate with { lenient: true } to accept it)`;
  }
  return message;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function plainMessage(e: GeneratedValidatorError): string {
  if (e.keyword === 'pattern')
    return PATTERN_MESSAGES[String(e.params.pattern)] ?? e.message ?? 'does not match the pattern';
  if (e.keyword === 'format') return FORMAT_MESSAGES[String(e.params.format)] ?? e.message ?? 'has the wrong format';
  // Short lists are worth printing; the specification's long enumerations (31 achievement types) are not.
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues) && e.params.allowedValues.length <= 8)
    return `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? `fails "${e.keyword}"`;
}

function annexElement(keys: readonly (string | number)[]): string | undefined {
  const names = keys.filter((k): k is string => typeof k === 'string');
  const last = names[names.length - 1];
  const parent = names[names.length - 2];
  if (last === undefined) return undefined;
  if (names.length === 1) return ANNEX_ELEMENT[last];
  return parent === undefined ? undefined : ANNEX_ELEMENT[`${parent}.${last}`];
}

/** JSON Pointer → keys; a segment is an array index only where the data holds an array (`{"0": …}` stays a key). */
function pointerKeys(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const keys: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
    keys.push(key);
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  }
  return keys;
}

function valueAt(keys: readonly (string | number)[], data: unknown): unknown {
  let node = data;
  for (const key of keys)
    node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}
