/**
 * Plain words for a file the verifier could not read. The library's parse message is for developers (it names JSON
 * paths and parser internals); a reader needs what the file is and what to do. The kind is taken from the failed
 * parse check's stable code and path, never from its message, and the message, code and path stay in the checks
 * table one click away.
 */
import type { Check } from 'microcredentials';

/** What a file that could not be read as a credential is, for a person. */
export type UnreadableKind = 'not-credential' | 'image' | 'duplicate' | 'odd-name' | 'too-big' | 'presentation';

/** The kind of the failed parse check among `checks`, or undefined when the file was read. */
export function unreadableKind(checks: readonly Pick<Check, 'check' | 'status' | 'code' | 'path'>[]): UnreadableKind | undefined {
  // The parse check, or the contexts check that found no credential's @context (missing, another kind of
  // document's, too deep to walk): the failure the library's verdict calls unreadable.
  const parse = checks.find(
    (c) =>
      c.status === 'fail' &&
      (c.check === 'parse' ||
        (c.check === 'contexts' && (c.code === 'INVALID_INPUT' || c.code === 'CANONICALIZATION_LIMIT'))),
  );
  if (!parse) return undefined;
  if (parse.code === 'INVALID_IMAGE') return 'image';
  if (parse.code === 'DUPLICATE_KEY') return 'duplicate';
  // The object read was over the library's bounds (too many values, nested too deep).
  if (parse.code === 'CANONICALIZATION_LIMIT') return 'too-big';
  // A member named __proto__: the library's refusal gives its path, which ends in that name.
  if (parse.path?.endsWith('.__proto__')) return 'odd-name';
  // A presentation is refused at its type: it has checks of its own.
  if (parse.path === '$.type') return 'presentation';
  return 'not-credential';
}

/** The headline a kind reads under: a file that could be read two ways is refused as unsafe, whatever the way. */
export function unreadableHeadline(kind: UnreadableKind): 'not-credential' | 'image' | 'unsafe' | 'presentation' {
  return kind === 'duplicate' || kind === 'odd-name' || kind === 'too-big' ? 'unsafe' : kind;
}
