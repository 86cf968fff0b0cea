/**
 * RDF terms in the JSON shape rdf-canonize takes (the same objects jsonld.js's toRDF produces), and the
 * JSON-LD → RDF literal rules of jsonld 9 (lib/toRdf.js `_objectToRDF`), reproduced exactly, quirks included.
 */

export interface NamedNode {
  termType: 'NamedNode';
  value: string;
}
export interface BlankNode {
  termType: 'BlankNode';
  value: string;
}
export interface Literal {
  termType: 'Literal';
  value: string;
  datatype: NamedNode;
  language?: string;
}
export interface DefaultGraph {
  termType: 'DefaultGraph';
  value: '';
}
export type Subject = NamedNode | BlankNode;
export type RdfObject = NamedNode | BlankNode | Literal;
export interface Quad {
  subject: Subject;
  predicate: NamedNode;
  object: RdfObject;
  graph: DefaultGraph | BlankNode;
}

export const XSD_BOOLEAN = 'http://www.w3.org/2001/XMLSchema#boolean';
export const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';
export const XSD_INTEGER = 'http://www.w3.org/2001/XMLSchema#integer';
export const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
export const RDF_FIRST = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#first';
export const RDF_REST = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#rest';
export const RDF_NIL = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#nil';
export const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

export const DEFAULT_GRAPH: DefaultGraph = Object.freeze({ termType: 'DefaultGraph', value: '' }) as DefaultGraph;

/** jsonld's `isAbsolute` (lib/url.js): what toRDF accepts as an IRI (or `_:` blank node label). */
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
export function isAbsoluteIri(value: string): boolean {
  return ABSOLUTE_IRI.test(value);
}

/**
 * IRIs already found plain: vocabulary IRIs, types and issuer ids recur in every document, and the regex scans
 * each one to its end. Bounded: once full it is emptied and refilled.
 */
const plainIris = new Set<string>();
const MAX_PLAIN_IRIS = 8192;

/** An IRI the fast path may emit as-is: absolute and not a blank node label (those go to jsonld). */
export function isPlainIri(value: string | null): value is string {
  if (value === null) return false;
  if (plainIris.has(value)) return true;
  if (value.charCodeAt(0) === 0x5f /* _ */ || !ABSOLUTE_IRI.test(value)) return false;
  if (plainIris.size >= MAX_PLAIN_IRIS) plainIris.clear();
  plainIris.add(value);
  return true;
}

/**
 * The literal for a JSON scalar with an optional datatype coercion, as jsonld.js writes it:
 * booleans `true`/`false`; numbers with a '.' in their JS string form or |n| ≥ 1e21 (and anything coerced to
 * xsd:double) in canonical double form `d.dddE±n`; other numbers as integers via toFixed(0) — so 1e-7 is
 * "0"^^xsd:integer and -0 is "0" — exactly like the reference.
 */
export function literalFor(value: string | number | boolean, datatype: string | null): Literal {
  let lexical: string;
  let type: string;
  if (typeof value === 'boolean') {
    lexical = value.toString();
    type = datatype ?? XSD_BOOLEAN;
  } else if (
    (typeof value === 'number' && (String(value).includes('.') || Math.abs(value) >= 1e21)) ||
    datatype === XSD_DOUBLE
  ) {
    const n = typeof value === 'number' ? value : parseFloat(value);
    lexical = n.toExponential(15).replace(/(\d)0*e\+?/, '$1E');
    type = datatype ?? XSD_DOUBLE;
  } else if (typeof value === 'number') {
    lexical = value.toFixed(0);
    type = datatype ?? XSD_INTEGER;
  } else {
    lexical = value;
    type = datatype ?? XSD_STRING;
  }
  return { termType: 'Literal', value: lexical, datatype: { termType: 'NamedNode', value: type } };
}
