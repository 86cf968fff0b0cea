import type { JsonLdActiveContext } from 'jsonld/lib/context.js';
import { Unsupported } from './signals';

/**
 * jsonld.js's `expandIri` (jsonld 9, lib/context.js `_expandIri`) over a processed context, outside context
 * processing, with the options the converter gives it: no document base (`{ base: null }`). With this, a credential
 * whose contexts are restored from build-time snapshots is converted without loading jsonld's context module (and
 * rdf-canonize, which that module requires) at all. Step for step jsonld.js's, for the contexts a CompiledContext
 * accepts (no `@base`); test/expand-iri.test.ts compares the two on every term, prefix and odd string.
 */

/** jsonld.js's `isKeyword`. */
const KEYWORDS = new Set([
  '@base',
  '@container',
  '@context',
  '@default',
  '@direction',
  '@embed',
  '@explicit',
  '@graph',
  '@id',
  '@included',
  '@index',
  '@json',
  '@language',
  '@list',
  '@nest',
  '@none',
  '@omitDefault',
  '@prefix',
  '@preserve',
  '@protected',
  '@requireAll',
  '@reverse',
  '@set',
  '@type',
  '@value',
  '@version',
  '@vocab',
]);
/** jsonld.js's REGEX_KEYWORD: something that looks like a keyword and is ignored. */
const KEYWORD_LIKE = /^@[a-zA-Z]+$/;
/** jsonld.js's `isAbsolute` (lib/url.js). */
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  Object.prototype.toString.call(v) === '[object Object]';

/**
 * `vocab`: a key, a type or an `@vocab`-coerced value (jsonld's `{ vocab: true }`); otherwise an `@id` or
 * `@id`-coerced value (`{ base: true }`, which without a base leaves a relative reference as it is).
 */
export function expandIri(active: JsonLdActiveContext, value: string, vocab: boolean): string | null {
  if (KEYWORDS.has(value)) return value;
  if (KEYWORD_LIKE.test(value)) return null;
  if (vocab) {
    const mapping = active.mappings.get(value);
    if (mapping === null) return null;
    if (isPlainRecord(mapping) && '@id' in mapping) return mapping['@id'] as string;
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    // Blank node identifiers and IRIs with an authority are never expanded.
    if (prefix === '_' || suffix.startsWith('//')) return value;
    const mapping = active.mappings.get(prefix);
    if (mapping?._prefix) return mapping['@id'] + suffix;
    if (ABSOLUTE_IRI.test(value)) return value;
  }
  if (vocab && '@vocab' in active) return active['@vocab'] + value;
  if (!vocab && '@base' in active) throw new Unsupported('a context with @base');
  return value;
}
