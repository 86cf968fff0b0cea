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
 * What {@link contextLimitProblem} measures on its walk when given one: `jsonLengthBound(document)` of a document
 * within the limits (left as it is for one over them), or undefined when a read only the measure makes throws (a
 * caller's proxy whose getPrototypeOf throws; the inside of an inline context). For a caller that needs both, such
 * as the verifier's signed-form step: the document is walked once instead of twice. A read the limits make
 * themselves throws out of the walk, once, as without the measure.
 */
export interface LengthMeasure {
  lengthBound: number | undefined;
}

/**
 * Why a document's contexts are over the limits, with the JSON path; undefined when they are within them.
 * `maxInlineTerms` also bounds the terms defined by inline context objects (see MAX_CREDENTIAL_INLINE_TERMS).
 */
export function contextLimitProblem(
  document: unknown,
  options: { maxInlineTerms?: number; measure?: LengthMeasure } = {},
): ContextLimitProblem | undefined {
  if (typeof document !== 'object' || document === null) {
    if (options.measure) options.measure.lengthBound = jsonLengthBound(document);
    return undefined;
  }
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
  // The measure adds up what jsonLengthBound adds up, container by container; it keeps each container's depth beside
  // it, since jsonLengthBound gives up (Infinity) on containers deeper than 256.
  const measure = options.measure;
  const depths: number[] = [0];
  let length = 0;
  let unmeasurable = false;
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
    const depth = measure ? depths.pop()! : 0;
    if (depth > 256) length = Infinity;
    if (Array.isArray(value)) {
      if (measure) length += 2 + value.length;
      for (const item of value) {
        if (typeof item === 'object' && item !== null) {
          pending.push(item);
          if (measure) depths.push(depth + 1);
        } else if (measure) length += item === undefined ? 4 : jsonLengthBound(item);
      }
    } else if (typeof value === 'object' && value !== null) {
      if (measure) {
        const own = objectLength(value);
        if (own === undefined) unmeasurable = true;
        else length += own;
      }
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (measure) length += key.length * 6 + 4;
        if (key === '@context') {
          // The document's own list was counted above; a proof's copy of it (eddsa-jcs-2022 keeps one) costs nothing
          // more. The limits read a nested list before the measure does: a throw from their reads is final.
          if (value !== document && !repeatsTopLevel(member, top)) {
            entries += Array.isArray(member) ? member.length : 1;
            if (entries > MAX_CONTEXT_ENTRIES) {
              return {
                path: '$',
                message: `The credential carries more than ${MAX_CONTEXT_ENTRIES} context entries in all; it is not accepted`,
              };
            }
            if (!countInline(member)) return tooManyTerms();
          }
          if (measure) {
            const own = contextLength(member, depth + 1);
            if (own === undefined) unmeasurable = true;
            else length += own;
          }
        } else if (typeof member === 'object' && member !== null) {
          pending.push(member);
          if (measure) depths.push(depth + 1);
        } else if (measure) length += jsonLengthBound(member);
      }
    }
  }
  if (measure) measure.lengthBound = unmeasurable ? undefined : length;
  return undefined;
}

/** An object's own share of the length bound, or undefined when asking what it is throws. */
function objectLength(value: object): number | undefined {
  try {
    return isPlainObject(value) ? 2 : Infinity;
  } catch {
    return undefined;
  }
}

/** A nested `@context` value's length bound (the limits walk does not descend into it), or undefined when it throws. */
function contextLength(member: unknown, depth: number): number | undefined {
  try {
    return jsonLengthBound(member, depth);
  } catch {
    return undefined;
  }
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

/**
 * An upper bound of `JSON.stringify(value).length` for plain JSON data: a string's escapes take at most 6
 * characters per UTF-16 unit (\u00XX, or a lone surrogate's \udXXX) plus its quotes, a finite number at most 25
 * (-0.0000012345678901234567; counted as 32), and every container its brackets and one separator per member.
 * Anything else (class instances, toJSON, undefined, very deep nesting, a cycle) gives Infinity, and the exact
 * measure decides.
 */
export function jsonLengthBound(value: unknown, depth = 0): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return 32;
    case 'boolean':
      return 5;
    case 'object': {
      if (depth > 256) return Infinity;
      if (Array.isArray(value)) {
        let total = 2 + value.length;
        for (const item of value) total += item === undefined ? 4 : jsonLengthBound(item, depth + 1);
        return total;
      }
      if (!isPlainObject(value)) return Infinity;
      let total = 2;
      for (const key of Object.keys(value)) total += key.length * 6 + 4 + jsonLengthBound(value[key], depth + 1);
      return total;
    }
    default:
      return Infinity;
  }
}

/**
 * fast/to-dataset.ts' isPlainObject, written here again: entries that check context limits without walking to quads
 * (and the chunks they load) need not load the fast path's module for it.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
