import type { CompiledContext } from './fast/compiled-context';
import { walkedSafeWith } from './fast/index';
import { Unsupported } from './fast/signals';
import { FORM_WALK_UNSURE, type FormObserver } from './fast/to-dataset';
import type { DocumentBounds } from './document-bounds';
import type { DocumentLoader } from './loader';
import { FormWalker, SEC_PROOF } from './compacted-form';

/*
 * The compacted-form check (./compacted-form.ts) made inside the safe-mode walk, for a caller that needs both of one
 * document: `issue` of a JSON-signed credential, and `verify` of one whose safe mode no RDFC proof shows. A module
 * of its own so that a page verifying RDFC-signed credentials loads it only when it meets another.
 */

/**
 * Both checks in one walk, for a caller that needs both of the same document (`issue` of a JSON-signed credential):
 * true when the walk to quads without quads (`checkSafeMode`) went through with every check of the compacted-form
 * walk made at the same places in the same contexts, which proves that `checkCompactedForm` gives "compacted" and
 * `checkSafeMode` passes. False when it cannot tell (a check failed, a nested context or an embedded credential,
 * anything the fast path hands to jsonld.js): then run the two checks, which say exactly what and where.
 */
export async function compactedAndSafe(
  document: Record<string, unknown>,
  documentLoader: DocumentLoader,
  bounds: DocumentBounds,
): Promise<boolean> {
  return walkedSafeWith(document, { documentLoader }, bounds, formObserver(document['@context']));
}

/** The compacted-form walk's checks, made without paths: any refusal throws and ends the shared walk. */
function formObserver(topContext: unknown): FormObserver {
  // The fast path takes only documents whose contexts are bundled URLs: no inline terms, so no aliases of them.
  const walker = new FormWalker(undefined, new Set());
  return {
    node(typeScoped, active, element, keys, typeKey, types, idKey) {
      if (typeKey !== null) {
        walker.key(typeScoped, typeKey, null);
        for (const type of types) walker.vocabValue(typeScoped, type, null, null, -1, 'type');
      }
      for (const key of keys) if (key !== '@context' && key !== typeKey) walker.key(active, key, null);
      // The converter found the one key expanding to @id in `active` (a second, or a non-string value, stops it).
      if (idKey !== null) {
        const id = element[idKey];
        if (typeof id === 'string') walker.idValue(active, id, null, null, -1);
      }
    },
    coerced(termCtx, coerce, value) {
      if (coerce === '@id') walker.idValue(termCtx, value, null, null, -1);
      else walker.vocabValue(termCtx, value, null, null, -1, 'value');
    },
    languageMap(value) {
      walker.languageMap(value, null, null);
    },
    valueObject(coerce, item) {
      walker.valueObject(coerce, item, null, null);
    },
    embeddedContext(property, urls, before) {
      // The one nested context the compacted-form walk lets through is a proof's copy of the top level's, and it reads
      // the proof's keys in the context before that copy: the same judgments only where the copy changes no term.
      // (The converter takes only lists of bundled URLs, none with a comma.)
      if (property !== SEC_PROOF || String(urls) !== String(topContext) || !reappliedChangesNothing(before, urls))
        throw new Unsupported(FORM_WALK_UNSURE);
    },
  };
}

/**
 * Per context: whether applying the document's top-level list again (a proof's copy of it) leaves every term as it
 * is. Keyed by the context alone: every context a walk reaches is derived from one top-level list, the one applied.
 */
const reapplied = new WeakMap<CompiledContext, boolean>();
function reappliedChangesNothing(before: CompiledContext, urls: readonly string[]): boolean {
  let same = reapplied.get(before);
  // May throw ContextMiss: the converter compiles the context and walks again.
  if (same === undefined) reapplied.set(before, (same = termsOf(before) === termsOf(before.withEmbedded(urls))));
  return same;
}

function termsOf({ active }: CompiledContext): string {
  const { mappings, protected: protectedTerms } = active;
  return JSON.stringify([
    active['@vocab'],
    active['@base'],
    active['@language'],
    active['@direction'],
    protectedTerms,
    [...mappings],
  ]);
}
