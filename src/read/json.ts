/** Tolerant accessors for credentials read as plain JSON: real credentials use single values for arrays, language maps, `{ "@value" }` objects. */
import { lookupConcept } from '../model/vocab';
import { asListOrEmpty, isRecord } from '../shared/json';

export type Json = Record<string, unknown>;

/** A concept as read from a credential: its IRI, and a label (the credential's own, else the library's English one). */
export interface ConceptValue {
  id: string;
  label?: string;
}

export function obj(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A set-valued member as a list; absent or `null` is empty. */
export const list: (value: unknown) => unknown[] = asListOrEmpty;

export function objects(value: unknown): Json[] {
  const out: Json[] = [];
  for (const item of list(value)) if (isRecord(item)) out.push(item);
  return out;
}

/** A string, the English (else first) entry of a language map, `{ "@value" }`, or an ELM Note's `noteLiteral`. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const v = obj(value);
  if (!v) return undefined;
  if (typeof v['@value'] === 'string') return v['@value'];
  if (v.noteLiteral !== undefined) return str(v.noteLiteral);
  if (v.type !== undefined || v.id !== undefined) return undefined;
  const en = v.en ?? Object.values(v).find((x) => typeof x === 'string');
  return typeof en === 'string' && en.trim() !== '' ? en : undefined;
}

export function strings(value: unknown): string[] {
  const out: string[] = [];
  for (const item of list(value)) {
    const text = str(item);
    if (text !== undefined) out.push(text);
  }
  return out;
}

/** A concept given as an IRI or as an object `{ id, prefLabel }`. */
export function concept(value: unknown): ConceptValue | undefined {
  const o = obj(value);
  const id = typeof value === 'string' ? value : typeof o?.id === 'string' ? o.id : undefined;
  if (!id || id.trim() === '') return undefined;
  const own = o ? str(o.prefLabel) : undefined;
  const label = own ?? lookupConcept(id)?.concept.label;
  return label ? { id, label } : { id };
}

export function concepts(value: unknown): ConceptValue[] {
  const out: ConceptValue[] = [];
  for (const item of list(value)) {
    const c = concept(item);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** The IRI of a concept value (string or object). */
export function conceptId(value: unknown): string | undefined {
  return concept(value)?.id;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function types(value: unknown): string[] {
  return list(value).filter((t): t is string => typeof t === 'string');
}

export function isDefined<T>(value: T | undefined | null): value is T {
  return value !== undefined && value !== null;
}
