import {
  MAX_CONTEXT_ENTRIES,
  contextLimitProblem,
  inlineTermCount,
  jsonLengthBound,
  repeatsTopLevel,
  type ContextLimitProblem,
} from './context-limits';
import { isPlainObject } from './fast/to-dataset';

// The bound is computed beside the context limits' walk (its measure), so it lives with that walk.
export { jsonLengthBound };

/**
 * The bounds checked before a document reaches JSON-LD processing, found in one walk: the context limits
 * (`contextLimitProblem`, with and without the bound on inline terms) and the upper bound of its JSON length
 * (`jsonLengthBound`). `issue` of a JSON-signed credential walked it three times for them (the limits for itself,
 * then both again in the safe-mode check); it now scans once and hands the scan to the safe-mode check.
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
  // Too many contexts at the top level, or one named twice: the limits' own check of the list alone says so.
  if (contextLimitProblem({ '@context': topValue }) !== undefined) return separately(document, maxInlineTerms);
  let entries = top.length;
  let inlineTerms = inlineTermCount(topValue);
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
        } else length += item === undefined ? 4 : jsonLengthBound(item);
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
        if (value === document || repeatsTopLevel(member, top)) continue;
        entries += Array.isArray(member) ? member.length : 1;
        if (entries > MAX_CONTEXT_ENTRIES) return separately(document, maxInlineTerms);
        inlineTerms += inlineTermCount(member);
      } else if (typeof member === 'object' && member !== null) {
        pending.push(member);
        depths.push(depth + 1);
      } else length += jsonLengthBound(member);
    }
  }
  if (inlineTerms > maxInlineTerms)
    return { ...separately(document, maxInlineTerms, length), overContextLimits: () => false };
  return { problem: () => undefined, overContextLimits: () => false, lengthBound: length };
}

/**
 * Over a limit, or beyond what the walk decides: the separate walks say exactly what, when asked (the fast path asks
 * for the context limits only of a document within the size bound, as it always did).
 */
function separately(document: object, maxInlineTerms: number, lengthBound = jsonLengthBound(document)): DocumentBounds {
  return {
    problem: () => contextLimitProblem(document, { maxInlineTerms }),
    overContextLimits: () => contextLimitProblem(document) !== undefined,
    lengthBound,
  };
}
