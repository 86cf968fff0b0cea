import {
  MAX_CONTEXT_ENTRIES,
  MAX_TOP_LEVEL_CONTEXTS,
  contextLimitProblem,
  type ContextLimitProblem,
} from './context-limits';
import { isPlainObject } from './fast/to-dataset';

/**
 * The bounds checked before a document reaches JSON-LD processing, found in one walk: the context limits
 * (`contextLimitProblem`, with and without the bound on inline terms) and the upper bound of its JSON length
 * (`jsonLengthBound`). `issue` and the fast path each needed two or three walks of the same document for them.
 */
export interface DocumentBounds {
  /** What `contextLimitProblem(document, { maxInlineTerms })` returns, for the `maxInlineTerms` of the scan. */
  problem(): ContextLimitProblem | undefined;
  /** Whether `contextLimitProblem(document)` (no bound on inline terms) finds a problem. */
  overContextLimits(): boolean;
  /** `jsonLengthBound(document)`. */
  readonly lengthBound: number;
}

/**
 * {@link DocumentBounds} of `document` in one walk. The walk only decides whether a limit is crossed (the counts only
 * grow, so that does not depend on the order they are met in); the problem itself, with its path and message, is
 * then asked of `contextLimitProblem`, whose early stop decides which limit a document over several is refused for.
 * Like `jsonLengthBound`, it reads every member, so a caller's object with a throwing getter throws here.
 */
export function scanDocumentBounds(document: unknown, maxInlineTerms = Infinity): DocumentBounds {
  if (typeof document !== 'object' || document === null) {
    return { problem: () => undefined, overContextLimits: () => false, lengthBound: jsonLengthBound(document) };
  }
  const topValue = (document as Record<string, unknown>)['@context'];
  const top = Array.isArray(topValue) ? topValue : [topValue];
  if (top.length > MAX_TOP_LEVEL_CONTEXTS || repeatsAUrl(top)) return separately(document, maxInlineTerms);
  let entries = top.length;
  let inlineTerms = inlineTermsOf(topValue);
  let length = 0;
  // Iterative, as contextLimitProblem's walk (the document may be deeper than the stack), in the same order; each
  // container's depth is kept beside it for the length bound, which gives up on containers deeper than 256.
  const pending: object[] = [document];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const value = pending.pop()!;
    const depth = depths.pop()!;
    // Deeper than the length bound looks (or a cycle): the separate walks decide, and only when asked, as before.
    if (depth > 256) return separately(document, maxInlineTerms, Infinity);
    if (Array.isArray(value)) {
      length += 2 + value.length;
      for (const item of value) {
        if (typeof item === 'object' && item !== null) {
          pending.push(item);
          depths.push(depth + 1);
        } else length += item === undefined ? 4 : leafLength(item);
      }
      continue;
    }
    if (!isPlainObject(value)) length = Infinity;
    length += 2;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      length += key.length * 6 + 4;
      if (key === '@context') {
        length += jsonLengthBound(member, depth + 1);
        if (value === document || repeats(member, top)) continue;
        entries += Array.isArray(member) ? member.length : 1;
        if (entries > MAX_CONTEXT_ENTRIES) return separately(document, maxInlineTerms);
        inlineTerms += inlineTermsOf(member);
      } else if (typeof member === 'object' && member !== null) {
        pending.push(member);
        depths.push(depth + 1);
      } else length += leafLength(member);
    }
  }
  if (inlineTerms > maxInlineTerms)
    return { ...separately(document, maxInlineTerms, length), overContextLimits: () => false };
  return { problem: () => undefined, overContextLimits: () => false, lengthBound: length };
}

/**
 * Over a limit, or beyond what the walk decides: the separate walks say exactly what, each when first asked (the
 * fast path asks for the context limits only of a document within the size bound, as it always did).
 */
function separately(document: object, maxInlineTerms: number, lengthBound = jsonLengthBound(document)): DocumentBounds {
  let problem: { value: ContextLimitProblem | undefined } | undefined;
  let over: boolean | undefined;
  return {
    problem: () => (problem ??= { value: contextLimitProblem(document, { maxInlineTerms }) }).value,
    overContextLimits: () => (over ??= contextLimitProblem(document) !== undefined),
    lengthBound,
  };
}

function repeatsAUrl(top: readonly unknown[]): boolean {
  const urls = new Set<string>();
  for (const entry of top) {
    if (typeof entry !== 'string') continue;
    if (urls.has(entry)) return true;
    urls.add(entry);
  }
  return false;
}

/** Terms defined by the inline context objects of an `@context` value (keywords not counted). */
function inlineTermsOf(context: unknown): number {
  let terms = 0;
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    for (const term of Object.keys(entry)) if (!term.startsWith('@')) terms++;
  }
  return terms;
}

/** Whether a nested `@context` names exactly the top-level context URLs, in order. */
function repeats(member: unknown, top: readonly unknown[]): boolean {
  const list = Array.isArray(member) ? member : [member];
  return list.length === top.length && list.every((entry, i) => typeof entry === 'string' && entry === top[i]);
}

/** `jsonLengthBound` of a value that is not a container. */
function leafLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return 32;
    case 'boolean':
      return 5;
    default:
      return value === null ? 4 : Infinity;
  }
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
