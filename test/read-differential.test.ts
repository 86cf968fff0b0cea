import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineIssuer } from '../src';
import { mergeMergedNodeCopies, mergeNodeCopies } from '../src/read/merge-nodes';
import { readMergedOpenBadge } from '../src/read/read-merged';
import { fixtureObjects } from './helpers/fixtures';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';
import { referenceReadMergedOpenBadge } from './helpers/ob-reader-reference';

/**
 * The Open Badges EU-element reader (what verify() reports as euElements and words in its verdict) against the reader
 * as it was written before its allocation-lean rewrite (test/helpers/ob-reader-reference.ts): the same view, key for
 * key and in the same key order (so the same report bytes), or the same error, on every fixture, on generated
 * micro-credentials, and on credentials whose every field the reader looks at is replaced by odd JSON values.
 */

type Json = Record<string, unknown>;

const fixtureDocs: Json[] = fixtureObjects();

/**
 * JSON text that also tells apart what JSON.stringify merges: a key holding undefined (kept, marked), NaN, the
 * infinities and -0. The views hold only plain objects, arrays and primitives, so equal texts mean equal views, key
 * order included.
 */
function strictText(view: unknown): string {
  return JSON.stringify(view, (_key, value: unknown) =>
    value === undefined
      ? '<undefined>'
      : typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))
        ? `<${Object.is(value, -0) ? '-0' : String(value)}>`
        : value,
  );
}

function outcome(read: (vc: Json) => unknown, vc: Json): { text?: string; error?: string } {
  try {
    return { text: strictText(read(vc)) };
  } catch (e) {
    return { error: `${(e as Error)?.constructor?.name}: ${(e as Error)?.message}` };
  }
}

/** Both readers on `vc` as verify() gives it to them (merged twice), and on `vc` as it is. */
function expectSameReading(vc: Json, label: string): void {
  for (const input of [mergeMergedNodeCopies(mergeNodeCopies(vc)), vc]) {
    const expected = outcome(referenceReadMergedOpenBadge, input);
    const actual = outcome(readMergedOpenBadge, input);
    expect(actual.error, label).toBe(expected.error);
    expect(actual.text, label).toBe(expected.text);
  }
}

// Values of every JSON shape the tolerant accessors meet: blank and padded strings, numbers of every kind, booleans,
// null, concepts as IRIs or objects (with and without labels), language maps, `@value` objects, ELM notes, nested
// lists, objects with an id or a type where a string is expected.
const leaf = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'A',
    'Failed',
    'Passed',
    'PT30H',
    'PT2.5H',
    'P1D',
    'EE',
    'ee',
    ' de ',
    'XX',
    'http://data.europa.eu/snb/eqf/6',
    'http://data.europa.eu/snb/eqf/9',
    'http://data.europa.eu/snb/eqf/',
    'eqf',
    'http://data.europa.eu/snb/learning-assessment/8ee4a6ea5d',
    'http://data.europa.eu/snb/supervision-verification/f0a5b4a8b5',
    'http://data.europa.eu/snb/education-credit/6fcec5c5af',
    'European Qualifications Framework',
    'ext:QualityAssurance',
    'urn:rd:1',
    'urn:rd:2',
    '0',
    '3.5',
  ),
  fc.string({ maxLength: 6 }),
  fc.constantFrom(0, -0, 1, 5, 6, 8, 9, 2.5, -1, 1e21, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
);
const oddValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.record(
      {
        id: leaf,
        prefLabel: fc.oneof(leaf, fc.record({ en: leaf, et: leaf }, { requiredKeys: [] })),
        name: leaf,
        '@value': leaf,
        noteLiteral: leaf,
        type: leaf,
        en: leaf,
        de: leaf,
        description: leaf,
        targetUrl: leaf,
        targetType: leaf,
        targetFramework: leaf,
        targetCode: leaf,
        targetName: leaf,
        framework: tie('value'),
        point: leaf,
        resultDescription: leaf,
        value: leaf,
        status: leaf,
        allowedValue: tie('value'),
        requiredValue: leaf,
        address: tie('value'),
        addressCountryCode: leaf,
        addressRegion: leaf,
        addressCountry: leaf,
        assessmentType: tie('value'),
        activityType: tie('value'),
        mode: tie('value'),
        accreditationType: tie('value'),
        accreditingAgent: tie('value'),
        landingPage: leaf,
        relatedESCOSkill: tie('value'),
        relatedSkill: tie('value'),
        title: leaf,
        identityType: leaf,
        hashed: leaf,
        identityHash: leaf,
      },
      { requiredKeys: [] },
    ),
  ),
})).value;

/** Every key the reader looks at, on the credential, its subject, its achievement and its issuer. */
const CREDENTIAL_KEYS = [
  'id',
  'name',
  'description',
  'issuer',
  'validFrom',
  'validUntil',
  'issuanceDate',
  'expirationDate',
  'awardedDate',
  'credentialSubject',
];
const SUBJECT_KEYS = ['id', 'identifier', 'result', 'creditsEarned', 'achievement'];
const ACHIEVEMENT_KEYS = [
  'type',
  'name',
  'description',
  'awardingBody',
  'creator',
  'learningOutcome',
  'creditPoint',
  'ECTS',
  'creditsAvailable',
  'volumeOfLearning',
  'studyLoad',
  'timeInvestment',
  'eqfLevel',
  'alignment',
  'qfEheaCycle',
  'nqfLevel',
  'assessment',
  'assessmentType',
  'resultDescription',
  'mode',
  'learningActivity',
  'learningSchedule',
  'learningSetting',
  'participationType',
  'participationForm',
  'participation',
  'accreditation',
  'entryRequirement',
  'targetGroup',
  'idVerification',
  'supervisionType',
  'identityChecked',
  'stackability',
  'isPartOf',
  'hasPart',
  'isPartialQualification',
  'integrationOptions',
  'stackable',
  'additionalNote',
  'supplementaryDocument',
  'homepage',
  'inLanguage',
  'fieldOfStudy',
  'thematicArea',
  'achievementType',
];
const ISSUER_KEYS = ['id', 'name', 'address'];

const issuer = defineIssuer({ id: 'did:example:issuer', name: 'University', country: 'EE', region: 'Tartu County' });
const generated = fc
  .sample(microCredentialInputs(fc.string({ maxLength: 12 })), { seed: 31, numRuns: 400 })
  .map((g, i) => buildMicroCredential(g, issuer, `https://uni.example/mc/${i}`)?.credential)
  .filter((c) => c !== undefined) as unknown as Json[];

/** A copy of `base` with `edits` (path of keys → value, or undefined to delete) applied. */
function edited(base: Json, edits: readonly [readonly string[], unknown][]): Json {
  const copy = JSON.parse(JSON.stringify(base)) as Json;
  for (const [keys, value] of edits) {
    let at: Json = copy;
    for (const key of keys.slice(0, -1)) {
      const next = Array.isArray(at[key]) ? (at[key] as unknown[])[0] : at[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) return copy;
      at = next as Json;
    }
    const last = keys.at(-1)!;
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return copy;
}

const editArb = fc.oneof(
  fc.tuple(
    fc.constantFrom(...CREDENTIAL_KEYS).map((k) => [k]),
    fc.option(oddValue, { nil: undefined }),
  ),
  fc.tuple(
    fc.constantFrom(...SUBJECT_KEYS).map((k) => ['credentialSubject', k]),
    fc.option(oddValue, { nil: undefined }),
  ),
  fc.tuple(
    fc.constantFrom(...ACHIEVEMENT_KEYS).map((k) => ['credentialSubject', 'achievement', k]),
    fc.option(oddValue, { nil: undefined }),
  ),
  fc.tuple(
    fc.constantFrom(...ISSUER_KEYS).map((k) => ['issuer', k]),
    fc.option(oddValue, { nil: undefined }),
  ),
) as fc.Arbitrary<[string[], unknown]>;

describe('readMergedOpenBadge reads as the reader as first written', () => {
  it('on every fixture', () => {
    expect(fixtureDocs.length).toBeGreaterThan(100);
    for (const [i, doc] of fixtureDocs.entries()) expectSameReading(doc, `fixture ${i}`);
  });

  it('on generated micro-credentials (every Annex I element on or off, every grading scheme and learner form)', () => {
    expect(generated.length).toBeGreaterThan(150);
    for (const [i, doc] of generated.entries()) expectSameReading(doc, `generated ${i}`);
  });

  it('on 1,500 credentials whose fields the reader looks at hold odd JSON values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...generated.slice(0, 40)),
        fc.array(editArb, { minLength: 1, maxLength: 12 }),
        (base, edits) => {
          expectSameReading(edited(base, edits), JSON.stringify(edits));
        },
      ),
      { numRuns: 1500, seed: 2023 },
    );
  });

  it('on odd top-level shapes', () => {
    const odd: Json[] = [
      {},
      { credentialSubject: [] },
      { credentialSubject: [null, { achievement: [] }] },
      { credentialSubject: { achievement: null }, issuer: 'did:example:x' },
      {
        credentialSubject: { achievement: { awardingBody: [null, 'x', { address: [{ addressCountryCode: 'ee' }] }] } },
      },
      { issuer: { address: { addressCountry: 'Estonia', addressRegion: '' } }, credentialSubject: 'x' },
    ];
    for (const [i, doc] of odd.entries()) expectSameReading(doc, `odd ${i}`);
  });
});
