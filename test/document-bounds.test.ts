import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_CREDENTIAL_INLINE_TERMS, contextLimitProblem } from '../src/jsonld/context-limits';
import { jsonLengthBound, scanDocumentBounds } from '../src/jsonld/document-bounds';
import { canonicalizeRdf } from '../src/jsonld/canonize';
import { checkSafeMode, fastCanonize } from '../src/jsonld/fast';
import { MicrocredError } from '../src/errors';
import { fixturePath } from './helpers/fixtures';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';

/**
 * The one walk of `scanDocumentBounds`, and `contextLimitProblem` with a length measure (the verifier's signed-form
 * step), must answer exactly what the separate walks answer: `contextLimitProblem` with the credential bound on
 * inline terms, with none, with others, and `jsonLengthBound`, on every fixture, on generated micro-credentials and on
 * thousands of generated and hostile documents.
 */

const INLINE_BOUNDS = [Infinity, MAX_CREDENTIAL_INLINE_TERMS, 0, 1, 3, 40];

function expectSameBounds(document: unknown, label = ''): void {
  for (const maxInlineTerms of INLINE_BOUNDS) {
    const scan = scanDocumentBounds(document, maxInlineTerms);
    expect(scan.problem(), `${label} maxInlineTerms ${maxInlineTerms}`).toEqual(
      contextLimitProblem(document, { maxInlineTerms }),
    );
    expect(scan.overContextLimits(), label).toBe(contextLimitProblem(document) !== undefined);
    expect(Object.is(scan.lengthBound, jsonLengthBound(document)), `${label}: ${scan.lengthBound}`).toBe(true);
    // The verifier's signed-form step: the context limits' walk measuring the length bound on its way.
    const measure = { lengthBound: Number.NaN };
    const problem = contextLimitProblem(document, { maxInlineTerms, measure });
    expect(problem, `${label} measured, maxInlineTerms ${maxInlineTerms}`).toEqual(
      contextLimitProblem(document, { maxInlineTerms }),
    );
    if (problem === undefined)
      expect(
        Object.is(measure.lengthBound, jsonLengthBound(document)),
        `${label}: measured ${measure.lengthBound}`,
      ).toBe(true);
  }
}

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(full);
    return /\.(json|jsonld)$/.test(entry.name) ? [full] : [];
  });
}

describe('scanDocumentBounds answers what the separate walks answer', () => {
  it('on every fixture', () => {
    let count = 0;
    for (const file of jsonFiles(fixturePath())) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      expectSameBounds(parsed, file);
      count++;
    }
    expect(count).toBeGreaterThan(100);
  });

  it('on generated micro-credentials', () => {
    const issuer = { id: 'did:example:issuer', type: ['Profile'], name: 'Uni' } as never;
    fc.assert(
      fc.property(microCredentialInputs(fc.string({ maxLength: 40 })), (inputs) => {
        const built = buildMicroCredential(inputs, issuer);
        if (built) expectSameBounds(built.credential, 'generated micro-credential');
      }),
      { numRuns: 200 },
    );
  });

  const VC2 = 'https://www.w3.org/ns/credentials/v2';
  const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
  const MC = 'https://w3id.org/microcredentials/v1';
  const url = fc.constantFrom(VC2, OB, MC, 'https://attacker.example/ctx');
  const inline = fc.dictionary(
    fc.oneof(
      fc.constantFrom('@vocab', '@protected', '@version', 'id', 'type', '@context'),
      fc.string({ maxLength: 4 }),
    ),
    fc.oneof(fc.string({ maxLength: 8 }), fc.record({ '@id': fc.string({ maxLength: 8 }) })),
    { maxKeys: 12 },
  );
  const contextEntry = fc.oneof(url, inline, fc.constant(null), fc.constant({}));
  // Long lists too: 256 entries in all is the limit, 16 at the top level.
  const contextValue = fc.oneof(
    contextEntry,
    fc.array(contextEntry, { maxLength: 6 }),
    fc.integer({ min: 0, max: 300 }).map((n) => Array.from({ length: n }, () => ({}))),
    fc
      .integer({ min: 0, max: 40 })
      .map((n) => Array.from({ length: n }, (_, i) => ({ [`t${i}`]: 'https://x.example/' }))),
    fc.constant([VC2, OB]),
    fc.constant([VC2, OB, MC]),
  );
  const text = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: fc.constantFrom('a', '"', '\\', '\u0000', '\ud800', '😀'), maxLength: 12 }),
  );
  const leaf = fc.oneof(
    text,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.constant(Symbol('s')),
    fc.bigInt(),
  );
  const key = fc.oneof(
    fc.constantFrom('@context', 'type', '@type', 'proof', 'id', '@id', 'name'),
    fc.string({ maxLength: 5 }),
  );
  const value = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('object'),
      fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
      fc.constant(new Date(0)),
      fc.constant(new Map()),
    ),
    object: fc
      .tuple(
        fc.dictionary(key, tie('value'), { maxKeys: 6 }),
        fc.option(contextValue, { nil: undefined }),
        fc.boolean(),
      )
      .map(([members, context, nullPrototype]) => {
        const object: Record<string, unknown> = nullPrototype ? Object.create(null) : {};
        if (context !== undefined) object['@context'] = context;
        Object.assign(object, members);
        return object;
      }),
  }));
  const document = fc
    .tuple(fc.option(contextValue, { nil: undefined }), fc.dictionary(key, value.value, { maxKeys: 8 }))
    .map(([context, members]) => ({ ...(context === undefined ? {} : { '@context': context }), ...members }));

  it('on 3,000 generated documents (inline terms, repeated and over-limit contexts, odd leaves, other objects)', () => {
    fc.assert(
      fc.property(document, (doc) => expectSameBounds(doc)),
      { numRuns: 3000 },
    );
  });

  it('on a proof repeating the top context, deep nesting, huge strings, wide lists and non-objects', () => {
    const top = [VC2, OB];
    expectSameBounds({ '@context': top, proof: { '@context': [...top], type: 'DataIntegrityProof' } });
    expectSameBounds({ '@context': top, proof: { '@context': [OB, VC2] } });
    // Repeating the top-level list costs nothing: 200 proofs repeating it are 400 entries not counted.
    expectSameBounds({ '@context': top, proof: Array.from({ length: 200 }, () => ({ '@context': [...top] })) });
    expectSameBounds({ '@context': top, proof: Array.from({ length: 200 }, () => ({ '@context': [OB] })) });
    expectSameBounds({ '@context': [VC2, OB, VC2] });
    expectSameBounds({ '@context': Array.from({ length: 17 }, (_, i) => `https://x.example/${i}`) });
    expectSameBounds({ '@context': top, a: Array.from({ length: 300 }, () => ({ '@context': {} })) });
    expectSameBounds({ '@context': top, a: Array.from({ length: 200 }, () => ({ '@context': [{}] })) });
    for (const depth of [250, 255, 256, 257, 300, 5000]) {
      let deep: Record<string, unknown> = { '@context': [{ t: 'https://x.example/' }] };
      for (let i = 0; i < depth; i++) deep = { a: deep };
      expectSameBounds({ '@context': top, deep }, `depth ${depth}`);
      let deepArrays: unknown = { '@context': Array.from({ length: 300 }, () => ({})) };
      for (let i = 0; i < depth; i++) deepArrays = [deepArrays];
      expectSameBounds({ '@context': top, deepArrays }, `array depth ${depth}`);
      // No context at the bottom: only the depth decides where the length bound gives up.
      let plain: unknown = 'x';
      for (let i = 0; i < depth; i++) plain = i % 2 ? { a: plain } : [plain];
      expectSameBounds({ '@context': top, plain }, `plain depth ${depth}`);
    }
    expectSameBounds({ '@context': top, name: 'x'.repeat(1_000_000) });
    expectSameBounds({ '@context': top, names: Array.from({ length: 20_000 }, (_, i) => `n${i}`) });
    expectSameBounds({
      '@context': [...top, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`t${i}`, 'x']))],
    });
    for (const doc of [null, undefined, 5, 'text', [], [{ '@context': {} }], Object.create(null)])
      expectSameBounds(doc);
  });

  it('a cyclic document ends the walk, and the fast path refuses it as before', async () => {
    const cyclic: Record<string, unknown> = { '@context': [VC2, OB], type: 'VerifiableCredential' };
    cyclic.self = cyclic;
    expect(scanDocumentBounds(cyclic).lengthBound).toBe(Infinity);
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e) => (e instanceof MicrocredError ? e.code : 'raw'),
      );
    expect(await outcome(fastCanonize(cyclic))).toBe(await outcome(canonicalizeRdf(cyclic)));
    expect(await outcome(checkSafeMode(cyclic))).toBe(await outcome(canonicalizeRdf(cyclic)));
  });
});
