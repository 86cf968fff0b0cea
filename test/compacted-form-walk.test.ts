import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCompactedForm } from '../src/jsonld/compacted-form';
import { checkCompactedForm as referenceCheck } from './helpers/compacted-form-reference';
import { formTestBases, mutate, mutation } from './helpers/form-rewrites';

/**
 * The compacted-form walk builds a key's or a leaf's JSON path only when it refuses it. Held to the walk that built
 * every path as it went (test/helpers/compacted-form-reference.ts): the same verdict, problem, message, kind, path
 * and reason, on every fixture, signed and unsigned credentials, and thousands of rewrites of them (keywords as keys,
 * IRIs and compact IRIs for terms, value objects, inline contexts with aliases, `@vocab` and scoped contexts, nested
 * contexts, odd type and id values, language maps with capitals, embedded documents).
 */

type Doc = Record<string, unknown>;

async function expectSameVerdict(doc: Doc, label = ''): Promise<string> {
  const ours = await checkCompactedForm(doc);
  expect(ours, label).toEqual(await referenceCheck(doc));
  return ours.status;
}

const bases: { label: string; doc: Doc }[] = [];

beforeAll(async () => {
  bases.push(...(await formTestBases()));
});

describe('the compacted-form walk gives the verdict it gave when it built every path', () => {
  it('on every fixture and the seed, large and signed credentials', async () => {
    const statuses = new Set<string>();
    for (const { label, doc } of bases) statuses.add(await expectSameVerdict(doc, label));
    expect(bases.length).toBeGreaterThan(100);
    expect([...statuses].sort()).toEqual(['compacted', 'not-compacted', 'unprocessable']);
  });

  it('on 2,500 rewrites of them', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, mutations) => {
        const base = bases[pick % Math.min(bases.length, 24)]!;
        const doc = structuredClone(base.doc);
        for (const m of mutations) mutate(doc, m);
        const status = await expectSameVerdict(doc, base.label);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: 2500 },
    );
    // Both outcomes are common among the rewrites, so the paths of refusals are compared many times.
    expect(statuses.get('compacted')).toBeGreaterThan(100);
    expect(statuses.get('not-compacted')).toBeGreaterThan(500);
  });
});
