import { MicrocredError, describeThrown, isMicrocredError } from '../errors';
import { protoKeyRefusal } from './proto-key';

/**
 * More values than any document a verifier processes can hold (a JSON text of 4 MB, the canonicalization limit, has
 * fewer), and deeper than any it processes (the compacted-form walk stops at 200): a caller's object that shares one
 * subtree in many places, or contains itself, is refused with CANONICALIZATION_LIMIT as the context limits' walk
 * refused it, before its copy grows without bound or the stack runs out.
 */
const MAX_VALUES = 4 * 1024 * 1024;
const MAX_DEPTH = 2048;

/**
 * A caller's object (a credential, a presentation, a fetched status list) read once into plain data that every check
 * then reads: each own enumerable string key of each object and each index of each array is read exactly once, and
 * the copy is made of plain objects and arrays holding the values read. Read in place, a getter or a proxy could give
 * the proof one value and a check another (an expired credential read as valid once the proof had read the signed
 * date); a copy cannot. JSON text is plain data already. Throws MicrocredError INVALID_INPUT when the object cannot be
 * read (a getter that throws), CANONICALIZATION_LIMIT when it is over the bounds above.
 */
export function readOnce(input: object, what = 'The credential object'): Record<string, unknown> {
  const budget = { left: MAX_VALUES };
  try {
    return copyValue(input, budget, 0) as Record<string, unknown>;
  } catch (e) {
    if (isMicrocredError(e)) throw e;
    throw new MicrocredError('INVALID_INPUT', `${what} cannot be read: ${describeThrown(e)}`, {
      path: '$',
      cause: e,
    });
  }
}

function overBounds(): MicrocredError {
  return new MicrocredError(
    'CANONICALIZATION_LIMIT',
    `The object holds more than ${MAX_VALUES} values or nests deeper than ${MAX_DEPTH}`,
    { path: '$' },
  );
}

function spend(budget: { left: number }, values: number): void {
  budget.left -= values;
  if (budget.left < 0) throw overBounds();
}

function copyValue(value: unknown, budget: { left: number }, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (--budget.left < 0 || depth > MAX_DEPTH) throw overBounds();
  if (Array.isArray(value)) {
    const length = value.length;
    // Every index counts, holes and primitives too: a sparse array's length costs nothing to set and would otherwise
    // make the copy's loop, and its allocation, as long as the caller likes.
    spend(budget, length);
    const copy = new Array<unknown>(length);
    for (let i = 0; i < length; i++) copy[i] = copyValue(value[i], budget, depth + 1);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  spend(budget, keys.length);
  for (const key of keys) {
    // An own `__proto__` member (JSON.parse makes one; so can a caller) is refused: assigned, it would set the copy's
    // prototype and vanish from what is signed while readers took its contents for the credential's own (proto-key.ts).
    // Judged on the one key list the copy is made from: a proxy can list it and then deny it to a second look.
    if (key === '__proto__') throw protoKeyRefusal('The object', '$');
    const member = copyValue((value as Record<string, unknown>)[key], budget, depth + 1);
    copy[key] = member;
  }
  return copy;
}
