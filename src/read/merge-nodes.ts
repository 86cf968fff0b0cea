import { deepFreeze, isFrozenPlainData } from '../shared/frozen';
import { isRecord } from '../shared/json';

/**
 * One node, one reading. JSON-LD merges every node object with the same `id` into one node, so a credential may
 * write a node in several places, each copy with some of its properties, and its eddsa-rdfc-2022 signature still
 * holds: the graph is the same. A reader of the JSON, though, reads the copy it meets first. A holder who splits an
 * achievement's `resultDescription` into a copy without the pass mark followed by the original makes the readers
 * lose the pass mark, and a part graded below it passes a stack (issue 19). Real issuers write copies too (the issuer
 * profile in full under `issuer` and in short under `achievement.creator`), so refusing them is not an option.
 *
 * So every reader reads a view in which each copy of a node is the whole node: what that copy says, and what the
 * node's other copies say of the properties it leaves out. A document whose copies agree comes back as it is.
 *
 * Documents embedded in the document (a CLR's or a presentation's credentials, endorsements: each with its own
 * `@context`) are separate graphs: they are left as they are here and merged when they are read themselves. The
 * proof is not a part of the credential's graph and is left alone too.
 */
export function mergeNodeCopies<T>(document: T): T {
  if (!isRecord(document)) return document;
  const copies = new Map<string, Record<string, unknown>[]>();
  collect(document, copies, true);
  const split = splitNodes(copies);
  if (split.size === 0) return document;
  return new Merger(split).value(document, true) as T;
}

/**
 * Frozen subtrees that a caller puts into many documents (a roster's achievement and issuer profile), with their part
 * of mergeNodeCopies done once per order in which a document holds them.
 *
 * Why the result is the same. mergeNodeCopies reads a node's copies by id, in document order. When every root stands
 * once, outside arrays, and no node outside the roots has an id that a node inside them has, the copies of each id lie
 * either all inside the roots or all outside: the copies inside are those of the roots in the order they stand, so
 * which of their nodes are split, and what the merge builds at each root (Merger.value reads only the root and the
 * copies of the ids in it), are the same for every such document. When, besides, no node outside the roots is split,
 * the merge outside them copies each object as it is and meets each root where it stands: the result is that copy
 * with each root's merged form in place, and the document itself when nothing is split at all. Anything else
 * (a root twice or in an array, an id shared, a split outside, roots whose copies cannot be compared) is merged whole.
 * Only deep-frozen plain data is taken as a root; at most MAX_ORDERS orders are kept.
 */
export class SharedNodes {
  private readonly roots: ReadonlySet<object>;
  private readonly parts = new Map<string, SharedPart | null>();
  /** How many documents were merged around the roots (for tests). */
  around = 0;

  constructor(roots: readonly unknown[]) {
    this.roots = new Set(roots.filter((r): r is Record<string, unknown> => isRecord(r) && isFrozenPlainData(r)));
  }

  /** mergeNodeCopies(document). */
  merge<T>(document: T): T {
    if (!isRecord(document) || this.roots.has(document)) return mergeNodeCopies(document);
    const copies = new Map<string, Record<string, unknown>[]>();
    const met: Record<string, unknown>[] = [];
    if (!collectAround(document, copies, true, this.roots, met) || new Set(met).size !== met.length)
      return mergeNodeCopies(document);
    const part = this.part(met);
    if (part === undefined) return mergeNodeCopies(document);
    for (const id of copies.keys()) if (part.ids.has(id)) return mergeNodeCopies(document);
    if (splitNodes(copies).size !== 0) return mergeNodeCopies(document);
    this.around++;
    if (part.split.size === 0) return document;
    return new MergerAround(part.split, part.merged).value(document, true) as T;
  }

  /** The roots' part for one order, made on first use (undefined when their copies cannot be compared). */
  private part(order: readonly Record<string, unknown>[]): SharedPart | undefined {
    const roots = [...this.roots];
    const key = order.map((root) => roots.indexOf(root)).join(',');
    let part = this.parts.get(key);
    if (part === undefined) {
      if (this.parts.size >= MAX_ORDERS) return undefined;
      part = sharedPart(order);
      this.parts.set(key, part);
    }
    return part ?? undefined;
  }
}

interface SharedPart {
  /** The ids of the nodes inside the roots. */
  readonly ids: ReadonlySet<string>;
  /** Those whose copies do not all read the same. */
  readonly split: ReadonlyMap<string, Record<string, unknown>[]>;
  /** Each root as the merge builds it (frozen: shared by every document). */
  readonly merged: ReadonlyMap<object, unknown>;
}

/** Orders of the roots a SharedNodes keeps (a roster's two roots stand in one order). */
const MAX_ORDERS = 4;

function sharedPart(order: readonly Record<string, unknown>[]): SharedPart | null {
  const copies = new Map<string, Record<string, unknown>[]>();
  for (const root of order) collect(root, copies, false);
  let split: Map<string, Record<string, unknown>[]>;
  try {
    split = splitNodes(copies);
  } catch {
    return null;
  }
  const merged = new Map<object, unknown>();
  for (const root of order) merged.set(root, deepFreeze(new Merger(split).value(root)));
  return { ids: new Set(copies.keys()), split, merged };
}

/**
 * collect, meeting the roots without walking into them (in `met`, in order); false when a root stands in an array
 * (Merger.array reads copies of one node in one array together).
 */
function collectAround(
  value: unknown,
  into: Map<string, Record<string, unknown>[]>,
  top: boolean,
  roots: ReadonlySet<object>,
  met: Record<string, unknown>[],
): boolean {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null && roots.has(item)) return false;
      if (!collectAround(item, into, false, roots, met)) return false;
    }
    return true;
  }
  if (!isRecord(value)) return true;
  if (roots.has(value)) {
    met.push(value);
    return true;
  }
  if (!top && Object.hasOwn(value, '@context')) return true;
  const id = value['id'];
  if (typeof id === 'string') {
    const list = into.get(id);
    if (list) list.push(value);
    else into.set(id, [value]);
  }
  for (const [key, member] of Object.entries(value)) {
    if (key === '@context' || (top && key === 'proof')) continue;
    if (!collectAround(member, into, false, roots, met)) return false;
  }
  return true;
}

/** The nodes whose copies do not all read the same, with their copies. */
function splitNodes(copies: ReadonlyMap<string, Record<string, unknown>[]>): Map<string, Record<string, unknown>[]> {
  const split = new Map<string, Record<string, unknown>[]>();
  for (const [id, list] of copies) {
    if (list.length < 2) continue;
    const first = list[0];
    if (list.some((c) => !sameJson(c, first))) split.set(id, list);
  }
  return split;
}

/**
 * {@link mergeNodeCopies} of a document that mergeNodeCopies returned, as the verifier's readers merge the signed-form
 * step's credential once more (merging a merged document can still change an odd one, so it is not skipped). After
 * one merge, a node's copies usually state the same properties and differ only in values each keeps at its own place
 * (an issuer's address in full and in short): merging again then builds, at every place, the copy that stands there,
 * and the result reads the same as `merged`, key for key. That case is recognised and `merged` returned as it is;
 * any other goes through mergeNodeCopies. Exact only for mergeNodeCopies' own result, whose objects and arrays it
 * built itself (plain data, one place each).
 */
export function mergeMergedNodeCopies<T>(merged: T): T {
  if (!isRecord(merged)) return merged;
  const copies = new Map<string, Record<string, unknown>[]>();
  const shape = { plain: true };
  collect(merged, copies, true, shape);
  const split = splitNodes(copies);
  if (split.size === 0) return merged;
  return shape.plain && readsAsItIs(merged, split) ? merged : mergeNodeCopies(merged);
}

/**
 * What collect notes for mergeMergedNodeCopies: `plain` stays true while every object and array has Object's or
 * Array's prototype (a merge copies any other away) and no array holds two nodes with one id or an embedded document
 * with an id (Merger.array reads those as one node).
 */
interface MergedShape {
  plain: boolean;
}

/**
 * Whether merging `merged` (split: its nodes whose copies differ; its shape plain) gives it back value for value: the
 * document is not itself one of the copies (its proof and context would be read as members), and every copy of a
 * split node states the same properties (so no copy takes a value from elsewhere, and each place reads what it holds).
 */
function readsAsItIs(merged: Record<string, unknown>, split: ReadonlyMap<string, Record<string, unknown>[]>): boolean {
  const id = merged['id'];
  if (typeof id === 'string' && split.has(id)) return false;
  for (const list of split.values()) {
    const keys = Object.keys(list[0]!);
    for (const copy of list)
      if (Object.keys(copy).length !== keys.length || !keys.every((key) => Object.hasOwn(copy, key))) return false;
  }
  return true;
}

/**
 * `stableJson(a) === stableJson(b)`, without writing either out: copies mostly differ early (an issuer profile in full
 * and in short), and the texts of whole nodes cost more than the rest of the merge. Structural, with stableJson's
 * own reading of each value (a record is its enumerable keys, sorted; a leaf is its JSON text); and it throws where
 * stableJson would (a bigint in a caller's object), since two values that differ are then walked to the end.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (equalJson(a, b)) return true;
  throwIfUnwritable(a);
  throwIfUnwritable(b);
  return false;
}

function equalJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (Array.isArray(a)) {
    // Each element's text is one JSON value, so two lists read the same only element by element.
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalJson(a[i], b[i])) return false;
    return true;
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!isOwnEnumerable.call(b, key) || !equalJson(a[key], b[key])) return false;
    return true;
  }
  // A leaf's text never starts with "[" or "{" (a record or a list is never a leaf here), so it only equals a leaf's.
  if (Array.isArray(b) || isRecord(b)) return false;
  if (a === b && typeof a !== 'bigint') return true;
  return (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
}
const isOwnEnumerable = Object.prototype.propertyIsEnumerable;

/** Reads every value as stableJson does, so that it throws where stableJson throws. */
function throwIfUnwritable(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) throwIfUnwritable(item);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) throwIfUnwritable(value[key]);
  } else if (typeof value === 'bigint') {
    JSON.stringify(value);
  }
}

/** Node objects with an id, by id, in document order (outside embedded documents and the proof). */
function collect(
  value: unknown,
  into: Map<string, Record<string, unknown>[]>,
  top: boolean,
  shape?: MergedShape,
): void {
  if (Array.isArray(value)) {
    if (shape) noteArray(value, shape);
    for (const item of value) collect(item, into, false, shape);
    return;
  }
  if (!isRecord(value)) return;
  if (!top && Object.hasOwn(value, '@context')) return;
  if (shape && Object.getPrototypeOf(value) !== Object.prototype) shape.plain = false;
  const id = value['id'];
  if (typeof id === 'string') {
    const list = into.get(id);
    if (list) list.push(value);
    else into.set(id, [value]);
  }
  if (shape) {
    // A merged document's objects hold data properties only: its keys, then each value, read the same.
    for (const key of Object.keys(value)) {
      if (key === '@context' || (top && key === 'proof')) continue;
      collect(value[key], into, false, shape);
    }
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    if (key === '@context' || (top && key === 'proof')) continue;
    collect(member, into, false, shape);
  }
}

function noteArray(items: unknown[], shape: MergedShape): void {
  if (Object.getPrototypeOf(items) !== Array.prototype) shape.plain = false;
  const ids = new Set<unknown>();
  for (const item of items) {
    if (!isRecord(item) || typeof item['id'] !== 'string') continue;
    if (ids.has(item['id']) || Object.hasOwn(item, '@context')) shape.plain = false;
    ids.add(item['id']);
  }
}

class Merger {
  // No cache of built nodes: each place gets its own object (checks that walk the JSON may track objects they saw),
  // and each place keeps what it writes itself.
  private readonly building = new Set<string>();

  constructor(private readonly split: ReadonlyMap<string, Record<string, unknown>[]>) {}

  value(value: unknown, top = false): unknown {
    if (Array.isArray(value)) return this.array(value);
    if (!isRecord(value)) return value;
    if (!top && Object.hasOwn(value, '@context')) return value;
    const id = value['id'];
    if (typeof id === 'string' && this.split.has(id) && !this.building.has(id)) return this.node(id, [value]);
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value))
      out[key] = key === '@context' || (top && key === 'proof') ? member : this.value(member);
    return out;
  }

  /**
   * Copies of one node in one array are one value of the property, as in the graph, read where the first stands.
   * The array stays an array: a single-valued member written as a list of copies is still a list to the checks that
   * want one value (the schema refuses it), which fails closed.
   */
  private array(items: unknown[]): unknown[] {
    const out: unknown[] = [];
    const done = new Set<string>();
    for (const item of items) {
      const id = isRecord(item) ? item['id'] : undefined;
      if (typeof id === 'string' && this.split.has(id) && !this.building.has(id)) {
        if (done.has(id)) continue;
        done.add(id);
        out.push(
          this.node(
            id,
            items.filter((other): other is Record<string, unknown> => isRecord(other) && other['id'] === id),
          ),
        );
        continue;
      }
      out.push(this.value(item));
    }
    return out;
  }

  /**
   * The node as read at one place: what the copies written there say (every value kept), and each property they do
   * not state taken from the node's other copies (one value when they agree, every distinct value when not). A
   * copy that leaves out the pass mark thus reads with it, while an issuer's profile written in full under `issuer`
   * and in short under `achievement.creator` keeps its own address at each place.
   */
  private node(id: string, here: readonly Record<string, unknown>[]): Record<string, unknown> {
    this.building.add(id);
    const whole: Record<string, unknown> = {};
    for (const copy of here) {
      for (const [key, member] of Object.entries(copy))
        whole[key] = Object.hasOwn(whole, key) ? union(whole[key], member) : member;
    }
    const fromElsewhere: Record<string, unknown> = {};
    for (const copy of this.split.get(id)!) {
      if (here.includes(copy)) continue;
      for (const [key, member] of Object.entries(copy)) {
        if (Object.hasOwn(whole, key)) continue;
        fromElsewhere[key] = Object.hasOwn(fromElsewhere, key) ? union(fromElsewhere[key], member) : member;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries({ ...whole, ...fromElsewhere })) out[key] = this.value(member);
    this.building.delete(id);
    return out;
  }
}

/** The merge with subtrees already merged (SharedNodes' roots) put in place as they are. */
class MergerAround extends Merger {
  constructor(
    split: ReadonlyMap<string, Record<string, unknown>[]>,
    private readonly merged: ReadonlyMap<object, unknown>,
  ) {
    super(split);
  }

  override value(value: unknown, top = false): unknown {
    return typeof value === 'object' && value !== null && this.merged.has(value)
      ? this.merged.get(value)
      : super.value(value, top);
  }
}

/** Two values of one property: one if they are the same, else every distinct value (a set, as in the graph). */
function union(a: unknown, b: unknown): unknown {
  if (stableJson(a) === stableJson(b)) return a;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])]) {
    const key = isRecord(item) && typeof item['id'] === 'string' ? `id:${item['id']}` : stableJson(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out.length === 1 ? out[0] : out;
}

/** JSON text with every object's keys sorted, so that copies written in another key order compare equal. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
