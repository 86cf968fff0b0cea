import { MicrocredError } from '../errors';

/**
 * The JSON path of the first own member named `__proto__` in a parsed JSON value, or undefined. JSON.parse makes
 * such a member an ordinary own key, but much of JavaScript does not keep it one: an assignment `copy[key] = value`
 * sets the copy's prototype instead, so the member vanishes from what is signed or canonicalized and its contents
 * reappear as inherited properties that readers take for the credential's own. No credential needs the name.
 */
export function protoKeyPath(value: unknown): string | undefined {
  // Iterative (a parsed document may nest deeper than the call stack goes); the path is spelled only when found.
  const stack: Frame[] = [{ value, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const at = frame.value;
    if (typeof at !== 'object' || at === null) continue;
    if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) stack.push({ value: at[i], parent: frame, key: i });
      continue;
    }
    if (Object.hasOwn(at, '__proto__')) return `${pathOf(frame)}.__proto__`;
    for (const key of Object.keys(at)) stack.push({ value: (at as Record<string, unknown>)[key], parent: frame, key });
  }
  return undefined;
}

interface Frame {
  value: unknown;
  parent: Frame | undefined;
  key: string | number;
}

function pathOf(frame: Frame): string {
  const keys: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) keys.unshift(f.key);
  return `$${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
}

/** The refusal of a member named `__proto__` at `path` in `what` (see {@link protoKeyPath}). */
export function protoKeyRefusal(what: string, path: string): MicrocredError {
  return new MicrocredError(
    'INVALID_INPUT',
    `${what} has a member named "__proto__" (${path}); JavaScript can read it as something else, so it is not accepted`,
    { path },
  );
}
