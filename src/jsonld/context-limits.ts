import { MicrocredError } from '../errors';

/**
 * Bounds on the `@context` entries a document carries. Contexts are not part of the signed RDF, so any holder can
 * add entries to a valid credential without breaking its signature; jsonld.js processes every entry against the
 * whole active context, so repeating the OB context URL 1,000 times (65 KB) took 16.6 s to verify, 10,000 times
 * 270 s, and 100,000 empty `{}` entries 44 s. Real credentials carry two to five contexts, embedded endorsements
 * and proofs a few more each.
 */
/** Entries of the top-level `@context`. */
export const MAX_TOP_LEVEL_CONTEXTS = 16;
/** Entries of all `@context` values in the document together (embedded endorsements and proofs included). */
export const MAX_CONTEXT_ENTRIES = 256;

/**
 * Terms that inline context objects may define in one credential, counted over the whole document, for `verify` and
 * `issue` (canonicalizeRdf allows 20,000 for JSON-LD in general). Real credentials define a handful inline; the compacted-form
 * check processes them once more, and 19,000 unused inline terms made a valid credential take 2 s to verify.
 */
export const MAX_CREDENTIAL_INLINE_TERMS = 256;

/** Why a document's contexts are over the limits, with the JSON path of the offending entry. */
export interface ContextLimitProblem {
  path: string;
  message: string;
}

/**
 * Why a document's contexts are over the limits, with the JSON path; undefined when they are within them.
 * `maxInlineTerms` also bounds the terms defined by inline context objects (see MAX_CREDENTIAL_INLINE_TERMS).
 */
export function contextLimitProblem(
  document: unknown,
  options: { maxInlineTerms?: number } = {},
): ContextLimitProblem | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const topValue = (document as Record<string, unknown>)['@context'];
  const top = Array.isArray(topValue) ? topValue : [topValue];
  if (top.length > MAX_TOP_LEVEL_CONTEXTS) {
    return {
      path: '$["@context"]',
      message: `The credential lists ${top.length} contexts; at most ${MAX_TOP_LEVEL_CONTEXTS} are processed, so it is not accepted`,
    };
  }
  const urls = new Set<string>();
  for (const [i, entry] of top.entries()) {
    if (typeof entry !== 'string') continue;
    if (urls.has(entry))
      return {
        path: `$["@context"][${i}]`,
        message: `The context ${entry} is listed twice; a credential names each context once`,
      };
    urls.add(entry);
  }
  let entries = top.length;
  const maxInlineTerms = options.maxInlineTerms ?? Infinity;
  let inlineTerms = 0;
  const countInline = (context: unknown): boolean => {
    if (maxInlineTerms === Infinity) return true;
    inlineTerms += inlineTermCount(context);
    return inlineTerms <= maxInlineTerms;
  };
  const tooManyTerms = () => ({
    path: '$',
    message: `The credential's inline contexts define more than ${maxInlineTerms} terms; it is not accepted`,
  });
  if (!countInline(topValue)) return tooManyTerms();
  // Iterative: the document may be deeper than the stack.
  const pending: unknown[] = [document];
  let visited = 0;
  while (pending.length > 0) {
    // A caller's object may contain itself: the walk would never end (and the process die of the growing list).
    // No document within the size limit holds this many objects and arrays, so meeting them is reason enough: asking
    // JSON.stringify instead would be fooled by a toJSON method that hides the cycle.
    if (++visited > MAX_JSON_CONTAINERS)
      return {
        path: '$',
        message: `The credential holds more than 2,000,000 objects and arrays (more than a credential within the size limit can, or it contains itself); it is not accepted`,
      };
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (key === '@context') {
          if (value === document) continue; // counted above
          // A proof's copy of the document's own context list (eddsa-jcs-2022 keeps one) costs nothing more.
          if (repeatsTopLevel(member, top)) continue;
          entries += Array.isArray(member) ? member.length : 1;
          if (entries > MAX_CONTEXT_ENTRIES) {
            return {
              path: '$',
              message: `The credential carries more than ${MAX_CONTEXT_ENTRIES} context entries in all; it is not accepted`,
            };
          }
          if (!countInline(member)) return tooManyTerms();
        } else if (typeof member === 'object' && member !== null) pending.push(member);
      }
    }
  }
  return undefined;
}

/**
 * More objects and arrays than a document within MAX_DOCUMENT_BYTES can hold ("[]," takes three characters): a walk
 * that meets this many is over the size limit, or walks a cycle (or a structure shared so often that its JSON is
 * larger still).
 */
const MAX_JSON_CONTAINERS = 2_000_000;

/** Terms defined by the inline context objects of an `@context` value (keywords not counted). */
export function inlineTermCount(context: unknown): number {
  let terms = 0;
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    for (const term of Object.keys(entry)) if (!term.startsWith('@')) terms++;
  }
  return terms;
}

/** Whether a nested `@context` names exactly the top-level context URLs, in order. */
export function repeatsTopLevel(member: unknown, top: readonly unknown[]): boolean {
  const list = Array.isArray(member) ? member : [member];
  return list.length === top.length && list.every((entry, i) => typeof entry === 'string' && entry === top[i]);
}

/** Throws CANONICALIZATION_LIMIT when {@link contextLimitProblem} finds one. */
export function guardContextLimits(document: unknown): void {
  const problem = contextLimitProblem(document);
  if (problem) throw new MicrocredError('CANONICALIZATION_LIMIT', problem.message, { path: problem.path });
}
