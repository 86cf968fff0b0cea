import { childPath, type Problem } from '../errors';
import { VC_CONTEXT_V2 as VC_V2 } from '../shared/contexts';

/** XML Schema dateTimeStamp: a dateTime that must carry a time zone (VC 2.0 §4.9). */
const DATE_TIME_STAMP =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** A URL in the VC sense: an absolute IRI with a scheme and no spaces. */
export function isUrl(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value);
}

/**
 * The VC Data Model 2.0 rules an issuer must enforce before it signs (the "MUST"s the W3C test suite checks with
 * its `*-fail` inputs), for any verifiable credential. JSON-LD rules (undefined or redefined terms, relative type
 * IRIs) are left to safe-mode expansion, which runs next. Returns every problem found.
 */
export function checkDataModel(credential: unknown): Problem[] {
  const problems: Problem[] = [];
  const bad = (path: string, message: string, code: Problem['code'] = 'INVALID_ELEMENT') =>
    problems.push({ code, path, message });
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    bad('$', 'a credential must be a JSON object', 'INVALID_INPUT');
    return problems;
  }
  const vc = credential as Record<string, unknown>;

  // @context: an ordered set whose first item is the VC 2.0 base context; every other item a URL or a context object.
  const ctx = vc['@context'];
  if (ctx === undefined) bad('$["@context"]', '@context is required', 'MISSING_ELEMENT');
  else {
    const list = Array.isArray(ctx) ? ctx : [ctx];
    if (list[0] !== VC_V2) bad('$["@context"][0]', `the first @context must be ${VC_V2}`);
    list.forEach((c, i) => {
      if (typeof c === 'string' ? !isUrl(c) : typeof c !== 'object' || c === null || Array.isArray(c)) {
        bad(`$["@context"][${i}]`, `a context must be a URL or a context object, got ${JSON.stringify(c)}`);
      }
    });
  }
  // id: optional, one URL.
  if ('id' in vc && !isUrl(vc.id)) bad('$.id', `id must be a single URL, got ${JSON.stringify(vc.id)}`);
  // type: must include VerifiableCredential.
  const types = vc.type === undefined ? undefined : Array.isArray(vc.type) ? vc.type : [vc.type];
  if (!types) bad('$.type', 'type is required', 'MISSING_ELEMENT');
  else if (!types.includes('VerifiableCredential')) bad('$.type', 'type must include "VerifiableCredential"');
  else types.forEach((t, i) => typeof t !== 'string' && bad(`$.type[${i}]`, 'each type must be a string'));
  // issuer: a URL, or an object whose id is a URL.
  if (vc.issuer === undefined) bad('$.issuer', 'issuer is required', 'MISSING_ELEMENT');
  else if (typeof vc.issuer === 'object' && vc.issuer !== null && !Array.isArray(vc.issuer)) {
    if (!isUrl((vc.issuer as Record<string, unknown>).id))
      bad('$.issuer.id', 'the issuer object needs an id that is a URL');
    checkNames(vc.issuer as Record<string, unknown>, '$.issuer', bad);
  } else if (!isUrl(vc.issuer))
    bad('$.issuer', `issuer must be a URL or an object with a URL id, got ${JSON.stringify(vc.issuer)}`);
  // credentialSubject: one or more objects, each with at least one claim; id (if any) a single URL.
  const subjects =
    vc.credentialSubject === undefined
      ? undefined
      : Array.isArray(vc.credentialSubject)
        ? vc.credentialSubject
        : [vc.credentialSubject];
  if (!subjects || subjects.length === 0)
    bad('$.credentialSubject', 'credentialSubject is required', 'MISSING_ELEMENT');
  else {
    subjects.forEach((s, i) => {
      const p = Array.isArray(vc.credentialSubject) ? `$.credentialSubject[${i}]` : '$.credentialSubject';
      if (typeof s !== 'object' || s === null || Array.isArray(s)) {
        bad(p, 'a credential subject must be an object');
        return;
      }
      if (Object.keys(s).length === 0) {
        bad(p, 'a credential subject must make at least one claim');
        return;
      }
      if ('id' in s && !isUrl((s as Record<string, unknown>).id)) bad(`${p}.id`, 'the subject id must be a single URL');
    });
  }
  // Validity period.
  for (const key of ['validFrom', 'validUntil'] as const) {
    if (
      key in vc &&
      (typeof vc[key] !== 'string' ||
        !DATE_TIME_STAMP.test(vc[key] as string) ||
        Number.isNaN(Date.parse(vc[key] as string)))
    ) {
      bad(`$.${key}`, `${key} must be an XML Schema dateTimeStamp (with a time zone), got ${JSON.stringify(vc[key])}`);
    }
  }
  if (
    typeof vc.validFrom === 'string' &&
    typeof vc.validUntil === 'string' &&
    Date.parse(vc.validUntil) < Date.parse(vc.validFrom)
  ) {
    bad('$.validUntil', 'validUntil is before validFrom');
  }
  // Typed companions: each needs a type; status and schema ids are URLs.
  for (const key of [
    'credentialStatus',
    'credentialSchema',
    'evidence',
    'refreshService',
    'termsOfUse',
    'proof',
  ] as const) {
    if (vc[key] === undefined) continue;
    const items = Array.isArray(vc[key]) ? (vc[key] as unknown[]) : [vc[key]];
    items.forEach((item, i) => {
      const p = Array.isArray(vc[key]) ? childPath(`$.${key}`, i) : `$.${key}`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        bad(p, `${key} entries must be objects`);
        return;
      }
      const o = item as Record<string, unknown>;
      const t = o.type;
      if (t === undefined) bad(`${p}.type`, `${key} needs a type`, 'MISSING_ELEMENT');
      else if (!(typeof t === 'string' || (Array.isArray(t) && t.length > 0 && t.every((x) => typeof x === 'string'))))
        bad(`${p}.type`, 'type must be a string or a list of strings');
      if (key === 'credentialSchema' && !isUrl(o.id)) bad(`${p}.id`, 'a credential schema needs an id that is a URL');
      if (key === 'credentialStatus' && 'id' in o && !isUrl(o.id)) bad(`${p}.id`, 'a status id must be a single URL');
    });
  }
  checkNames(vc, '$', bad);
  return problems;
}

/** name / description: a string, a language value object ({@value, @language, @direction} only), or a list of them. */
function checkNames(node: Record<string, unknown>, base: string, bad: (path: string, message: string) => void): void {
  for (const key of ['name', 'description']) {
    const value = node[key];
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const p = Array.isArray(value) ? `${base}.${key}[${i}]` : `${base}.${key}`;
      if (typeof item === 'string') return;
      if (typeof item !== 'object' || item === null) return bad(p, `${key} must be text or a language value`);
      const o = item as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => !['@value', '@language', '@direction'].includes(k));
      if (typeof o['@value'] !== 'string' || extra.length)
        bad(
          p,
          `a language value has only @value, @language and @direction${extra.length ? ` (not ${extra.join(', ')})` : ''}`,
        );
    });
  }
}
