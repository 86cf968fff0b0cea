import { SHAPES, type ClassName } from './shape';
import { isRecord } from '../shared/json';

/**
 * JSON-LD compaction writes a one-element set as a bare value (`"proof": {…}`, `"type": "Achievement"`), and VC 2.0
 * allows it; the OB 3.0 schemas do not (research-ob3.md §2.2). This returns a copy of the credential in which every
 * multi-valued property of a known class is an array again, and a one-element `credentialStatus` /
 * `credentialSubject` array is unwrapped. The input is never modified: changed objects are shallow copies.
 */
export function normalizeCompacted(credential: unknown): unknown {
  return normalize(credential, 'Credential', new WeakSet());
}

function normalize(value: unknown, cls: ClassName, seen: WeakSet<object>): unknown {
  if (!isRecord(value) || seen.has(value)) return value;
  seen.add(value); // a cyclic object cannot come from JSON; stop rather than recurse for ever
  const shape = SHAPES[cls];
  const copy: Record<string, unknown> = { ...value };
  for (const key of shape.singles ?? []) {
    const v = copy[key];
    if (Array.isArray(v) && v.length === 1) copy[key] = v[0];
  }
  for (const key of shape.arrays) {
    const v = copy[key];
    if (v !== undefined && v !== null && !Array.isArray(v)) copy[key] = [v];
  }
  for (const [key, child] of Object.entries(shape.nested)) {
    const v = copy[key];
    if (Array.isArray(v)) copy[key] = v.map((item) => normalize(item, child, seen));
    else if (v !== undefined) copy[key] = normalize(v, child, seen);
  }
  return copy;
}
