import { childPath } from '../errors';

/**
 * The JSON path of the first member name that repeats within one object of a JSON text, or undefined.
 *
 * JSON.parse keeps the last of two equal names, while another reader (a signer, a wallet, a second verifier) may keep
 * the first: the same text then means two different credentials. RFC 8259 leaves it open; a verifier must refuse.
 * This is a scan over text that JSON.parse has already accepted, not a second parser: it only tracks where object
 * keys start and skips every string with indexOf, so a credential of a few KB costs microseconds. Names are compared
 * after unescaping (`"a"` and `"\u0061"` are the same name).
 */
export function findDuplicateKey(text: string): string | undefined {
  // One frame per open object or array: the names seen (objects), the index (arrays), the current member's name.
  const names: (Set<string> | null)[] = [];
  const indexes: number[] = [];
  const current: (string | undefined)[] = [];
  let expectKey = false;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const depth = names.length - 1;
      if (expectKey && depth >= 0) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const seen = names[depth]!;
        if (seen.has(name)) return pathOf(names, indexes, current, name);
        seen.add(name);
        current[depth] = name;
        expectKey = false;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      names.push(new Set());
      indexes.push(0);
      current.push(undefined);
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      names.push(null);
      indexes.push(0);
      current.push(undefined);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      names.pop();
      indexes.pop();
      current.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const depth = names.length - 1;
      if (names[depth] === null) indexes[depth]!++;
      else expectKey = true;
    }
    i++;
  }
  return undefined;
}

/** The index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length; // unreachable for text JSON.parse accepted
}

function pathOf(names: (Set<string> | null)[], indexes: number[], current: (string | undefined)[], duplicate: string): string {
  let path = '$';
  for (let d = 0; d < names.length - 1; d++) {
    path = names[d] === null ? childPath(path, indexes[d]!) : childPath(path, current[d] ?? '');
  }
  return childPath(path, duplicate);
}
