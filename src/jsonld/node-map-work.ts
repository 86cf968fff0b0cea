import { MicrocredError } from '../errors';

/*
 * The node-map work guards of canonicalizeRdf (./canonize.ts), in a module of their own: only a document the compiled
 * contexts do not cover reaches jsonld.js, so a page loads this with jsonld.js, not before its first verdict.
 */

/**
 * Work jsonld.js's node map may do: it adds each value of a node's property after comparing it with every value
 * already there, so its work grows with the square of the values one property of one node holds (a node written in
 * several places, with one id, is one node). 20,000 tags on one achievement took 17 s to verify, and the 4 MB the size
 * guard allows would take hours. Bounded here by the sum, over nodes, of the square of all the values a node holds
 * (all its properties, all its copies): never less than the work, whatever names its properties go by. A CLR of 64
 * large credentials stays far below it (its largest node holds a few hundred values); 5,000 values in one property
 * take ~1.4 s here. The fast path, linear in the document, does not need it.
 */
export const MAX_NODE_MAP_WORK = 25_000_000;

export function guardNodeMapWork(document: object): void {
  // Keys naming a node's id: `@id`, `id` (every bundled context's alias) and any inline alias of `@id`.
  const idKeys = new Set(['@id', 'id']);
  const valuesByNode = new Map<unknown, number>();
  const nodes: unknown[] = [document];
  const contexts: unknown[] = [];
  while (nodes.length > 0) {
    const value = nodes.pop();
    if (Array.isArray(value)) for (const item of value) nodes.push(item);
    else if (value !== null && typeof value === 'object') {
      let values = 0;
      for (const [key, member] of Object.entries(value)) {
        if (key === '@context') {
          contexts.push(member);
          continue;
        }
        values += Array.isArray(member) ? member.length : 1;
        nodes.push(member);
      }
      valuesByNode.set(value, values);
    }
  }
  while (contexts.length > 0) {
    const context = contexts.pop();
    if (Array.isArray(context)) for (const item of context) contexts.push(item);
    else if (context !== null && typeof context === 'object') {
      for (const [term, definition] of Object.entries(context)) {
        const target =
          definition !== null && typeof definition === 'object'
            ? (definition as Record<string, unknown>)['@id']
            : definition;
        if (target === '@id') idKeys.add(term);
        if (definition !== null && typeof definition === 'object' && Object.hasOwn(definition, '@context'))
          contexts.push((definition as Record<string, unknown>)['@context']);
      }
    }
  }
  // Copies of one node (one id) are one node in jsonld.js's node map: their values add up.
  const byId = new Map<string, number>();
  let work = 0;
  for (const [node, values] of valuesByNode) {
    let id: string | undefined;
    for (const key of idKeys) {
      const named = (node as Record<string, unknown>)[key];
      if (typeof named === 'string') id = named;
    }
    if (id === undefined) work += values * values;
    else byId.set(id, (byId.get(id) ?? 0) + values);
  }
  refuseOverNodeMapWork(byId, work);
}

/**
 * {@link MAX_NODE_MAP_WORK} on the expanded document: every node object's values (each property's array, `@type`,
 * a list's items, its reverse properties) summed per absolute `@id` (copies of one node are one node in the node map),
 * or per object for a node without one, and squared. Above the bound, CANONICALIZATION_LIMIT.
 */
export function guardExpandedNodeMapWork(expanded: unknown): void {
  const byId = new Map<string, number>();
  let work = 0;
  const pending: unknown[] = [expanded];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
      continue;
    }
    if (value === null || typeof value !== 'object' || Object.hasOwn(value, '@value')) continue;
    let values = 0;
    for (const [key, member] of Object.entries(value)) {
      if (key === '@id') continue;
      if (Array.isArray(member)) values += member.length;
      else if (member !== null && typeof member === 'object') {
        values += 1;
        // @list, @reverse and @included hold values too: count them where they are, walk into them.
        for (const inner of Object.values(member)) if (Array.isArray(inner)) values += inner.length;
      } else values += 1;
      pending.push(member);
    }
    const id = (value as Record<string, unknown>)['@id'];
    if (typeof id === 'string') byId.set(id, (byId.get(id) ?? 0) + values);
    else work += values * values;
  }
  refuseOverNodeMapWork(byId, work);
}

/** The work of nodes with an id (their values added up, then squared) plus `work` of those without, against the bound. */
function refuseOverNodeMapWork(byId: Map<string, number>, work: number): void {
  for (const values of byId.values()) work += values * values;
  if (work > MAX_NODE_MAP_WORK) {
    throw new MicrocredError(
      'CANONICALIZATION_LIMIT',
      'The document puts too many values on one node for JSON-LD processing of a document the compiled contexts do not cover',
      { path: '$' },
    );
  }
}
