/**
 * ELM documents name a node in full once and refer to it elsewhere by `{ id }` alone (the awarding process of an
 * assessment, the specification of the learner's assessment). This index finds the full node behind such a
 * reference. Built in one bounded walk: a document too large or too deep for the budget is indexed only as far as
 * the budget goes (references beyond it stay unresolved), and a cyclic object graph is walked once per object.
 */
import type { Json } from './json';
import { isRecord } from '../shared/json';

/** Most objects the index visits, and how deep it goes: a credential has a few hundred nodes, nesting of a few dozen. */
const MAX_OBJECTS = 20_000;
const MAX_DEPTH = 64;

export type NodeIndex = ReadonlyMap<string, Json>;

export function indexNodes(root: unknown): NodeIndex {
  const index = new Map<string, Json>();
  const seen = new Set<object>();
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length && seen.size < MAX_OBJECTS) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > MAX_DEPTH) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    if (!isRecord(value)) continue;
    const id = value.id;
    // The fullest node for an id wins: a reference carries only its id.
    if (typeof id === 'string' && Object.keys(value).length > (index.get(id) ? Object.keys(index.get(id)!).length : 1))
      index.set(id, value);
    for (const key of Object.keys(value)) stack.push([value[key], depth + 1]);
  }
  return index;
}

/** The node itself, or the full node its `id` names when it is a bare reference. */
export function resolve(node: Json | undefined, index: NodeIndex): Json | undefined {
  if (!node) return undefined;
  const id = node.id;
  if (typeof id !== 'string') return node;
  const full = index.get(id);
  return full && Object.keys(full).length > Object.keys(node).length ? full : node;
}
