import { createRequire } from 'node:module';
import fc from 'fast-check';
import type contextModule from 'jsonld/lib/context.js';
import type { JsonLdActiveContext } from 'jsonld/lib/context.js';
import { describe, expect, it } from 'vitest';
import {
  compiledWithLoader,
  derivedSnapshotTree,
  restoreDerivedContext,
  type DerivedSnapshotNode,
} from '../src/jsonld/fast/compiled-context';
import { expandIri } from '../src/jsonld/fast/expand-iri';

/**
 * The converter expands keys, types and identifiers with our copy of jsonld.js's `expandIri`, so that restored
 * contexts need no part of jsonld.js. It must give jsonld.js's answer for every string, in every context.
 */
const contextApi = createRequire(import.meta.url)('jsonld/lib/context.js') as typeof contextModule;

/**
 * Contexts a caller's document may bring (compiledWithLoader processes them at run time): prefixes, a term mapped
 * to null, a default vocabulary, compact IRIs as term definitions, a prefix that looks like a scheme.
 */
const INLINE_CONTEXTS = [
  {
    '@vocab': 'https://vocab.example/',
    ex: 'https://example.org/',
    schema: 'https://schema.org/',
    http: 'https://not-http.example/',
    nothing: null,
    name: 'schema:name',
    knows: { '@id': 'ex:knows', '@type': '@id' },
  },
  { '@version': 1.1, ex: { '@id': 'https://example.org/ns#', '@prefix': true }, notPrefix: 'https://example.org/ns#' },
  { '@vocab': null, ex: 'https://example.org/', _: 'https://underscore.example/' },
];

async function snapshotContexts(): Promise<JsonLdActiveContext[]> {
  const out: JsonLdActiveContext[] = [];
  const offline = async (): Promise<never> => Promise.reject(new Error('offline'));
  for (const localCtx of INLINE_CONTEXTS) out.push((await compiledWithLoader(localCtx, offline)).active);
  const walk = (node: DerivedSnapshotNode): void => {
    out.push(restoreDerivedContext(node.context));
    for (const [, , child] of node.derived) walk(child);
  };
  for (const node of Object.values(derivedSnapshotTree())) walk(node);
  return out;
}

const ODD = [
  '',
  ' ',
  '@',
  '@foo',
  '@Type',
  '@1',
  '@id',
  '@type',
  '@vocab',
  '@context',
  '_:b0',
  '_:',
  ':x',
  'x:',
  'x:/',
  'x://y',
  '//x',
  'foo',
  'foo/bar',
  '#frag',
  '?q',
  'a b:c',
  'a:b c',
  '1a:b',
  'é:x',
  'http://example.org/x',
  'https://example.org/a//b',
  'urn:uuid:8a5f1d62-0000-4000-8000-000000000001',
  'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6Mk',
  'mailto:mari@example.ee',
  'xsd:dateTime',
  'schema:name',
  'dc:title',
];

function jsonld(active: JsonLdActiveContext, value: string, vocab: boolean): string | null {
  return contextApi.expandIri(active, value, vocab ? { vocab: true } : { base: true }, { base: null });
}

describe('expandIri is jsonld.js expandIri', () => {
  it('on every term, every term as a prefix, every term IRI and odd strings, in every snapshotted context and in caller contexts', async () => {
    const contexts = await snapshotContexts();
    expect(contexts.length).toBeGreaterThan(15);
    let compared = 0;
    for (const active of contexts) {
      const values = new Set(ODD);
      for (const [term, def] of active.mappings) {
        values.add(term);
        values.add(`${term}:x`);
        values.add(`${term}://x`);
        values.add(`${term}:`);
        if (def && typeof def['@id'] === 'string') values.add(def['@id']);
      }
      for (const value of values) {
        for (const vocab of [true, false]) {
          expect(expandIri(active, value, vocab), `${vocab ? 'vocab' : 'base'} ${JSON.stringify(value)}`).toBe(
            jsonld(active, value, vocab),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('on generated strings of IRI-ish characters', async () => {
    const contexts = await snapshotContexts();
    const terms = [...new Set(contexts.flatMap((c) => [...c.mappings.keys()]))];
    const piece = fc.oneof(
      fc.constantFrom(...terms),
      fc.constantFrom(':', '/', '//', '@', '_', '#', ' ', '-', '.', 'a', 'Z', '1', 'é', 'http', 'urn'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
        fc.nat({ max: contexts.length - 1 }),
        fc.boolean(),
        (value, i, vocab) => {
          expect(expandIri(contexts[i]!, value, vocab)).toBe(jsonld(contexts[i]!, value, vocab));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
