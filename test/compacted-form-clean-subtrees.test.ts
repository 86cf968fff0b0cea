import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CleanSubtrees, checkCompactedForm } from '../src/jsonld/compacted-form';
import { formTestBases, mutate, mutation } from './helpers/form-rewrites';

/**
 * A roster's frozen achievement and issuer are walked by the compacted-form check once per place (context object,
 * property, depth) and skipped afterwards (CleanSubtrees). Held to the walk without it: the same verdict, problem,
 * path and reason on documents that share one frozen subtree, the subtree and the rest rewritten in every way the
 * compacted-form tests rewrite documents, and the same subtree met in another context.
 */

type Doc = Record<string, unknown>;

const VC2 = 'https://www.w3.org/ns/credentials/v2';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Every place in the document that holds an object (not the document itself): its parent and key. */
function objectPlaces(doc: Doc): { parent: Record<string | number, unknown>; key: string | number }[] {
  const places: { parent: Record<string | number, unknown>; key: string | number }[] = [];
  const pending: unknown[] = [doc];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    for (const [k, v] of Object.entries(item)) {
      if (typeof v !== 'object' || v === null) continue;
      if (!Array.isArray(v))
        places.push({ parent: item as Record<string, unknown>, key: Array.isArray(item) ? +k : k });
      pending.push(v);
    }
  }
  return places;
}

const bases: Doc[] = [];
beforeAll(async () => {
  bases.push(...(await formTestBases()).map((b) => b.doc));
});

describe('the compacted-form walk skipping frozen subtrees found clean', () => {
  it('gives the verdict of the whole walk on 1,500 documents sharing a frozen subtree, three at a time', async () => {
    const statuses = new Map<string, number>();
    let skipped = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        fc.array(mutation, { maxLength: 1 }),
        fc.array(fc.array(mutation, { maxLength: 1 }), { minLength: 3, maxLength: 3 }),
        async (pickBase, pickPlace, inside, outside) => {
          const base = bases[pickBase % Math.min(bases.length, 24)]!;
          const places = objectPlaces(base);
          if (places.length === 0) return;
          const at = pickPlace % places.length;
          const subtree = structuredClone(places[at]!.parent[places[at]!.key]) as Doc;
          for (const m of inside) mutate(subtree, m);
          const root = deepFreeze(subtree);
          const clean = new CleanSubtrees([root]);
          for (const rewrites of outside) {
            // The rest rewritten first (the root is frozen), then the root put at the same place when it is still there.
            const doc = structuredClone(base);
            for (const m of rewrites) mutate(doc, m);
            const after = objectPlaces(doc);
            if (after.length === 0) continue;
            const place = after[at % after.length]!;
            place.parent[place.key] = root;
            const before = clean.skipped;
            const ours = await checkCompactedForm(doc, { cleanSubtrees: clean });
            expect(ours).toEqual(await checkCompactedForm(doc));
            statuses.set(ours.status, (statuses.get(ours.status) ?? 0) + 1);
            skipped += clean.skipped - before;
          }
        },
      ),
      { numRuns: 500 },
    );
    // Both verdicts are common, and the root is often skipped (a typical run: ~800, ~600 and ~180 skips).
    expect(statuses.get('compacted')).toBeGreaterThan(300);
    expect(statuses.get('not-compacted')).toBeGreaterThan(200);
    expect(skipped).toBeGreaterThan(60);
  });

  it('walks a clean subtree again in another context, where it may be refused', async () => {
    // A key written as the IRI of a term: fine where no term names it (the VC context alone), refused in OB's.
    const achievement = deepFreeze({
      id: 'urn:uuid:6c0b8d2e-0d7a-4a3c-9a57-3c4b0f0e2a11',
      type: ['Achievement'],
      'https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType': 'Course',
    });
    const doc = (context: string[]): Doc => ({
      '@context': context,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { type: ['AchievementSubject'], achievement },
    });
    const clean = new CleanSubtrees([achievement]);
    expect(await checkCompactedForm(doc([VC2]), { cleanSubtrees: clean })).toEqual({ status: 'compacted' });
    expect(await checkCompactedForm(doc([VC2]), { cleanSubtrees: clean })).toEqual({ status: 'compacted' });
    expect(clean.skipped).toBe(1);
    const inOb = await checkCompactedForm(doc([VC2, OB]), { cleanSubtrees: clean });
    expect(inOb).toEqual(await checkCompactedForm(doc([VC2, OB])));
    expect(inOb.status).toBe('not-compacted');
  });

  it('walks a clean subtree again deeper down, where it may reach the nesting limit', async () => {
    const nest = (levels: number, inner: unknown): unknown =>
      levels === 0 ? inner : { child: nest(levels - 1, inner) };
    const root = deepFreeze(nest(20, { name: 'leaf' }) as Doc);
    const doc = (levels: number): Doc => ({
      '@context': [VC2],
      type: ['VerifiableCredential'],
      child: nest(levels, root),
    });
    const clean = new CleanSubtrees([root]);
    expect(await checkCompactedForm(doc(5), { cleanSubtrees: clean })).toEqual({ status: 'compacted' });
    const deep = await checkCompactedForm(doc(190), { cleanSubtrees: clean });
    expect(deep).toEqual(await checkCompactedForm(doc(190)));
    expect(deep.status).toBe('unprocessable');
  });

  it('takes as roots only deep-frozen plain data without @context', async () => {
    const node = { id: 'urn:x:1', type: ['Achievement'], name: 'A' };
    const unfrozenInside = Object.freeze({ ...node, criteria: { narrative: 'n' } });
    const withContext = deepFreeze({ ...node, '@context': [VC2] });
    const withGetter = Object.freeze(Object.defineProperty({ ...node }, 'name', { get: () => 'A', enumerable: true }));
    const clean = new CleanSubtrees([node, unfrozenInside, withContext, withGetter]);
    for (const root of [node, unfrozenInside, withContext, withGetter]) expect(clean.isRoot(root)).toBe(false);
    expect(new CleanSubtrees([deepFreeze({ ...node })]).isRoot(node)).toBe(false);
  });
});
