import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reiProgramme, university } from '../examples/rei-programme';
import { award } from '../src';
import { checkConsistency, checkMergedConsistency } from '../src/read/consistency';
import { SharedNodes, mergeNodeCopies } from '../src/read/merge-nodes';

/**
 * A roster's frozen achievement and issuer have their part of the node-copy merge made once (SharedNodes). Held to
 * mergeNodeCopies of the whole credential — the same JSON text, key for key — and to the consistency check's problems,
 * on credentials whose other parts reuse the roots' ids, copy their nodes, hold a root twice, in an array, in the
 * proof or in an embedded document, split nodes of their own, or stand the roots in another order.
 */

type Doc = Record<string, unknown>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const base = award(reiProgramme.parts[0]!, {
  learner: { email: 'learner@example.ee' },
  grade: 'B',
  awardedOn: '2024-01-26',
  issuer: university,
}) as unknown as Doc;
const subjectOf = (doc: Doc) => doc.credentialSubject as Doc;

/** Every id inside the seed's achievement and issuer, and a few others. */
const ids: string[] = [];
JSON.stringify([subjectOf(base).achievement, base.issuer], (_k, v) => {
  if (typeof v === 'object' && v !== null && typeof v.id === 'string') ids.push(v.id);
  return v;
});
const someId = fc.oneof(fc.constantFrom(...ids), fc.constantFrom('urn:uuid:other', String(base.id)));

/** What a credential's other parts may do. */
const change = fc.oneof(
  // a node of the credential's own given an id of the roots, or its own id twice with other content
  fc.record({ kind: fc.constant('id' as const), where: fc.constantFrom('subject', 'result', 'evidence'), id: someId }),
  // a root (or both) put a second time, in an array, under the proof, in an embedded document
  fc.record({
    kind: fc.constant('root' as const),
    which: fc.constantFrom('achievement', 'issuer'),
    where: fc.constantFrom('evidence', 'array', 'proof', 'embedded', 'source'),
  }),
  // the roots in another order
  fc.constant({ kind: 'order' as const }),
);

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function build(achievement: Doc, issuer: Doc, changes: readonly fc.Arbitrary<unknown>[] | unknown[]): Doc {
  const doc = structuredClone(base);
  doc.issuer = issuer;
  subjectOf(doc).achievement = achievement;
  for (const c of changes as { kind: string; where?: string; id?: string; which?: string }[]) {
    const subject = subjectOf(doc);
    if (c.kind === 'id') {
      const node = { id: c.id, type: ['Evidence'], name: `copy of ${c.id}`, narrative: 'x' };
      if (c.where === 'subject') subject.id = c.id;
      else if (c.where === 'result') subject.result = [...listOf(subject.result), node];
      else doc.evidence = [...listOf(doc.evidence), node];
    } else if (c.kind === 'root') {
      const root = c.which === 'achievement' ? achievement : issuer;
      if (c.where === 'evidence') doc.evidence = root;
      else if (c.where === 'array') subject.achievement = [root];
      else if (c.where === 'proof') doc.proof = { type: 'DataIntegrityProof', root };
      else if (c.where === 'embedded')
        doc.endorsement = [{ '@context': ['https://www.w3.org/ns/credentials/v2'], root }];
      else subject.source = root;
    } else {
      const { issuer: i, ...rest } = doc;
      for (const key of Object.keys(doc)) delete doc[key];
      Object.assign(doc, rest, { issuer: i });
    }
  }
  return doc;
}

describe('the node-copy merge around a roster’s frozen parts', () => {
  it('gives mergeNodeCopies’ result and the same consistency problems on 1,500 credentials', () => {
    let around = 0;
    let changed = 0;
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 2 }), { minLength: 3, maxLength: 3 }), (credentials) => {
        const achievement = deepFreeze(structuredClone(subjectOf(base).achievement) as Doc);
        const issuer = deepFreeze(structuredClone(base.issuer) as Doc);
        const shared = new SharedNodes([achievement, issuer]);
        for (const changes of credentials) {
          const doc = build(achievement, issuer, changes);
          const full = mergeNodeCopies(doc);
          if (full !== doc) changed++;
          expect(JSON.stringify(shared.merge(doc))).toBe(JSON.stringify(full));
          expect(checkMergedConsistency(shared.merge(doc))).toEqual(checkConsistency(doc));
        }
        around += shared.around;
      }),
      { numRuns: 500 },
    );
    expect(around).toBeGreaterThan(300);
    expect(changed).toBeGreaterThan(300);
  });

  it('merges the seed roster’s credentials around the roots, the issuer’s copies split as in the whole merge', () => {
    const achievement = deepFreeze(structuredClone(subjectOf(base).achievement) as Doc);
    const issuer = deepFreeze(structuredClone(base.issuer) as Doc);
    const shared = new SharedNodes([achievement, issuer]);
    const doc = build(achievement, issuer, []);
    const full = mergeNodeCopies(doc);
    expect(full).not.toBe(doc);
    for (let i = 0; i < 2; i++) expect(JSON.stringify(shared.merge(doc))).toBe(JSON.stringify(full));
    expect(shared.around).toBe(2);
  });

  it('keeps the roots’ part per order: copies from both roots merged in document order', () => {
    // At rootA.c, "q" comes from the other copies in document order: [1, 2] or [2, 1].
    const rootA = deepFreeze({ id: 'urn:x:a', a: { id: 'urn:x:n', q: 1 }, c: { id: 'urn:x:n', r: 0 } });
    const rootB = deepFreeze({ id: 'urn:x:b', b: { id: 'urn:x:n', q: 2 } });
    const shared = new SharedNodes([rootA, rootB]);
    for (const doc of [
      { id: 'urn:x:doc', first: rootA, second: rootB },
      { id: 'urn:x:doc', first: rootB, second: rootA },
      { id: 'urn:x:doc', first: rootA, second: rootB },
    ]) {
      expect(JSON.stringify(shared.merge(doc))).toBe(JSON.stringify(mergeNodeCopies(doc)));
    }
    expect(shared.around).toBe(3);
  });

  it('takes as roots only deep-frozen plain data', () => {
    const achievement = structuredClone(subjectOf(base).achievement) as Doc;
    const issuer = Object.freeze(structuredClone(base.issuer) as Doc);
    const shared = new SharedNodes([achievement, issuer]);
    const doc = build(achievement, issuer, []);
    expect(JSON.stringify(shared.merge(doc))).toBe(JSON.stringify(mergeNodeCopies(doc)));
    expect(shared.around).toBe(0);
  });
});
