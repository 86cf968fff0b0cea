import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MicrocredError,
  award,
  generateKey,
  defineIssuer,
  issue,
  verify,
  type MicroCredentialDefinition,
} from '../src';
import { canonicalizeRdf, expand } from '../src/jsonld/canonize';
import { canonizeStats, checkSafeMode, fastCanonize, resetCanonizeStats } from '../src/jsonld/fast';
import { reiProgramme, sampleLearners, university } from '../examples/rei-programme';
import { buildMicroCredential, gradeFor, microCredentialInputs } from './helpers/generated-micro-credentials';

/**
 * The fast path on what the builders make: every credential of the seed programme and generated micro-credentials
 * must canonicalize to the bytes jsonld.js gives, and must take the fast path (otherwise the library's speed is a
 * fallback's speed). Also: checkSafeMode agrees with safe-mode expansion, and issue/verify really use the fast path.
 */

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    const value = await run();
    return `ok:${typeof value === 'string' ? value : ''}`;
  } catch (e) {
    return e instanceof MicrocredError ? `error:${e.code}` : `raw:${String(e)}`;
  }
}

describe('differential: the fast path on every credential the builders make', () => {
  it('the seed programme, each part and the programme, for every sample learner and grade', async () => {
    resetCanonizeStats();
    const definitions: MicroCredentialDefinition[] = [reiProgramme, ...reiProgramme.parts];
    let cases = 0;
    for (const [d, definition] of definitions.entries()) {
      for (const [l, sample] of sampleLearners.entries()) {
        for (let g = 0; g < 3; g++) {
          const grade = gradeFor(definition, d + l + g);
          const credential = award(definition, {
            issuer: university,
            learner: sample.learner as never,
            ...(grade !== undefined ? { grade } : {}),
            awardedOn: '2024-06-14',
          });
          expect(await fastCanonize(credential), definition.title).toBe(await canonicalizeRdf(credential));
          cases++;
        }
      }
    }
    expect(cases).toBe(definitions.length * sampleLearners.length * 3);
    expect(canonizeStats()).toMatchObject({ fast: cases, fallback: 0 });
  });

  const oddText = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
      fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
      fc.constantFrom(
        'tab\there',
        'line\nbreak',
        '"quoted" \\ back',
        'ﬀ é 😀',
        '\u2028',
        '<b>html</b>',
        '_:b0',
        '@id',
        '3.0',
        '1e21',
      ),
    )
    .filter((s) => s.trim().length > 0);
  const generated = microCredentialInputs(oddText);

  it('400 generated micro-credentials (odd text, every optional element on or off) give the same bytes, all on the fast path', async () => {
    const issuer = defineIssuer({ id: 'https://uni.example/', name: 'Generated University', country: 'FI' });
    resetCanonizeStats();
    let built = 0;
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const made = buildMicroCredential(g, issuer);
        if (made === undefined) return;
        const { credential } = made;
        built++;
        expect(await outcome(() => fastCanonize(credential))).toBe(await outcome(() => canonicalizeRdf(credential)));
      }),
      { numRuns: 400 },
    );
    // Most generated inputs must reach the comparison, and every one that does must be on the fast path.
    expect(built).toBeGreaterThan(300);
    expect(canonizeStats()).toMatchObject({ fast: built, fallback: 0 });
  }, 120_000);
});

describe('checkSafeMode', () => {
  const seed = award(reiProgramme.parts[0]!, {
    issuer: university,
    learner: 'did:example:x',
    grade: 'A',
    awardedOn: '2024-01-26',
  }) as unknown as Record<string, unknown>;
  const subject = seed.credentialSubject as Record<string, unknown>;
  const cases: [string, Record<string, unknown>][] = [
    ['the seed credential', seed],
    ['an undefined top-level term', { ...seed, favouriteColour: 'blue' }],
    ['an undefined term in the subject', { ...seed, credentialSubject: { ...subject, shoeSize: 42 } }],
    ['a relative IRI id', { ...seed, id: 'credentials/1' }],
    ['an undefined type', { ...seed, type: [...(seed.type as string[]), 'MadeUpCredential'] }],
    [
      'an inline context (the fallback decides)',
      {
        ...seed,
        '@context': [...(seed['@context'] as string[]), { shoeSize: 'https://example.org/shoeSize' }],
        credentialSubject: { ...subject, shoeSize: 42 },
      },
    ],
    [
      'an unknown context URL',
      { ...seed, '@context': [...(seed['@context'] as string[]), 'https://example.org/ctx.jsonld'] },
    ],
  ];

  it.each(cases)('agrees with safe-mode expansion: %s', async (_label, doc) => {
    expect(await outcome(() => checkSafeMode(doc))).toBe(await outcome(() => expand(doc)));
  });

  it('refuses undefined terms with SAFE_MODE_VIOLATION', async () => {
    await expect(checkSafeMode(cases[1]![1])).rejects.toMatchObject({ code: 'SAFE_MODE_VIOLATION' });
    await expect(checkSafeMode(cases[2]![1])).rejects.toMatchObject({ code: 'SAFE_MODE_VIOLATION' });
  });
});

describe('issue and verify take the fast path', () => {
  const key = generateKey();
  const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
  const credential = award(reiProgramme.parts[4]!, {
    issuer,
    learner: sampleLearners[0].learner,
    grade: 'pass',
    awardedOn: '2024-06-14',
  });

  it.each(['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const)(
    '%s: no document goes to jsonld.js',
    async (format) => {
      resetCanonizeStats();
      const signed = await issue(credential, { key, format });
      const report = await verify(signed);
      expect(report.verified, JSON.stringify(report.checks)).toBe(true);
      const stats = canonizeStats();
      expect(stats.fallback, JSON.stringify(stats.reasons)).toBe(0);
      // rdfc: proof config + document, in issue and in verify; JCS and JWT: the safe-mode check in issue and in verify.
      expect(stats.fast).toBe(format === 'eddsa-rdfc-2022' ? 4 : 2);
    },
  );
});
