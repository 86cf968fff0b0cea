import { childPath, type Problem } from '../errors';
import { isUrl } from '../vcdm/check';
import { asList } from '../shared/json';
import { VC_CONTEXT_V1 as VC_V1, VC_CONTEXT_V2 as VC_V2 } from '../shared/contexts';

/** A verifiable presentation as JSON (VC Data Model 2.0 §4.13). */
export interface Presentation {
  '@context': unknown[];
  id?: string;
  type: string[];
  holder?: string | { id: string; [property: string]: unknown };
  /** Credentials: JSON-LD credentials with embedded proofs, or EnvelopedVerifiableCredential objects. */
  verifiableCredential?: unknown[];
  proof?: unknown;
  [property: string]: unknown;
}

/** The holder's id: `holder` as a URL, or its `id` when it is an object. */
export function holderIdOf(presentation: Record<string, unknown>): string | undefined {
  const holder = presentation.holder;
  const id =
    typeof holder === 'string'
      ? holder
      : typeof holder === 'object' && holder !== null
        ? (holder as { id?: unknown }).id
        : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The VC Data Model 2.0 rules for a presentation (the W3C suite's `presentation-*` inputs): the base context first,
 * type VerifiablePresentation, a holder that is a URL (or an object with a URL id), credentials that are objects,
 * enveloped ones with their type and a data: URL id (`jwtCredentials`: a VP-JWT's compact JWS strings too).
 * Returns every problem.
 */
export function checkPresentationModel(value: unknown, options: { jwtCredentials?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const bad = (path: string, message: string, code: Problem['code'] = 'INVALID_ELEMENT') =>
    problems.push({ code, path, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('$', 'a presentation must be a JSON object', 'INVALID_INPUT');
    return problems;
  }
  const vp = value as Record<string, unknown>;
  const ctx = vp['@context'];
  if (ctx === undefined) bad('$["@context"]', '@context is required', 'MISSING_ELEMENT');
  else {
    const list = asList(ctx);
    if (list[0] !== VC_V2 && list[0] !== VC_V1) bad('$["@context"][0]', `the first @context must be ${VC_V2}`);
    list.forEach((c, i) => {
      if (typeof c === 'string' ? !isUrl(c) : typeof c !== 'object' || c === null || Array.isArray(c))
        bad(`$["@context"][${i}]`, 'a context must be a URL or a context object');
    });
  }
  if ('id' in vp && !isUrl(vp.id)) bad('$.id', 'id must be a single URL');
  const types = vp.type === undefined ? undefined : asList(vp.type);
  if (!types) bad('$.type', 'type is required', 'MISSING_ELEMENT');
  else if (!types.includes('VerifiablePresentation')) bad('$.type', 'type must include "VerifiablePresentation"');
  if ('holder' in vp) {
    const holder = vp.holder;
    if (typeof holder === 'object' && holder !== null && !Array.isArray(holder)) {
      if (!isUrl((holder as Record<string, unknown>).id))
        bad('$.holder.id', 'the holder object needs an id that is a URL');
    } else if (!isUrl(holder))
      bad('$.holder', `holder must be a URL or an object with a URL id, got ${JSON.stringify(holder)}`);
  }
  const credentials = asList(vp.verifiableCredential);
  credentials.forEach((c, i) => {
    const p = Array.isArray(vp.verifiableCredential)
      ? childPath('$.verifiableCredential', i)
      : '$.verifiableCredential';
    // A VP-JWT's vp claim may list VC-JWTs as strings (VC 1.1 style); a JSON-LD presentation envelopes them (§4.13).
    if (typeof c === 'string' && options.jwtCredentials) return;
    if (typeof c === 'string') {
      bad(p, 'a credential in a presentation is an object; a JWT-secured one goes in an EnvelopedVerifiableCredential');
      return;
    }
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      bad(p, 'each credential must be an object (or a compact JWS)');
      return;
    }
    const o = c as Record<string, unknown>;
    const t = asList(o.type);
    if (typeof o.id === 'string' && o.id.startsWith('data:') && !t.includes('EnvelopedVerifiableCredential'))
      bad(`${p}.type`, 'an enveloped credential (a data: URL id) needs type EnvelopedVerifiableCredential');
    if (t.includes('EnvelopedVerifiableCredential') && !(typeof o.id === 'string' && o.id.startsWith('data:')))
      bad(`${p}.id`, 'an EnvelopedVerifiableCredential needs a data: URL id');
  });
  return problems;
}
