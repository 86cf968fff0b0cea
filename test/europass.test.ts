import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import {
  AssessmentType,
  LearningActivityType,
  LearningMode,
  LearningSchedule,
  LearningSetting,
  MicrocredError,
  QualityAssuranceType,
  Stackability,
  SupervisionVerification,
  award,
  defineIssuer,
  defineMicroCredential,
  readMicroCredential,
  verify,
  type MicroCredentialDefinition,
  type MicroCredentialInput,
  type MicroCredentialView,
} from '../src';
import {
  EDC_AP_CONTEXT,
  awardAsEuropass,
  fromEuropass,
  reissueFromEuropass,
  toEuropass,
  type ElmNode,
} from '../src/europass';
import { createDocumentLoader } from '../src/jsonld/loader';
import { expand } from '../src/jsonld/canonize';
import * as rei from '../examples/rei-programme';
import { fixturePath, readFixtureJson } from './helpers/fixtures';
import { validateEdc } from './helpers/shacl';

/** The 16 Annex I elements of the typed view (what a round trip must keep). */
const ELEMENT_KEYS = [
  'learner',
  'title',
  'issuerCountries',
  'awardingBodies',
  'dateOfIssuing',
  'learningOutcomes',
  'workload',
  'level',
  'assessment',
  'participation',
  'qualityAssurance',
  'prerequisites',
  'supervision',
  'grade',
  'stackability',
  'furtherInformation',
] as const satisfies readonly (keyof MicroCredentialView)[];

const elementsOf = (view: MicroCredentialView) => Object.fromEntries(ELEMENT_KEYS.map((k) => [k, view[k]]));

const seeds: [string, MicroCredentialDefinition][] = [
  ['Critical thinking and argumentation', rei.criticalThinking],
  ['Basics of ethics', rei.basicsOfEthics],
  ['Research integrity', rei.researchIntegrity],
  ['Ethics in an organization', rei.ethicsInOrganization],
  ['Workplace applications of practical ethics', rei.workplaceApplications],
  ['the programme', rei.reiProgramme],
];

function awardSeed(definition: MicroCredentialDefinition) {
  const grade = definition.grading?.kind === 'letter' ? 'B' : definition.grading ? 'pass' : undefined;
  return award(definition, {
    issuer: rei.university,
    learner: { email: 'mari@example.ee' },
    ...(grade ? { grade } : {}),
    awardedOn: '2024-01-26',
    activityStartDate: '2023-09-01',
    activityEndDate: '2024-01-20',
    id: 'urn:uuid:3b0c5d2e-8f0e-4c4f-9d0a-6a3f1e2b7c10',
  });
}

describe('the bundled EDC context', () => {
  it("is the Commission's edc-ap context, served offline", async () => {
    const { document } = await createDocumentLoader()(EDC_AP_CONTEXT);
    expect(document).toEqual(readFixtureJson('edc', 'edc-ap-context.jsonld'));
  });
});

describe.each(seeds)('seed credential %s exported to Europass', (_name, definition) => {
  const credential = awardSeed(definition);
  const edc = toEuropass(credential);

  it('has zero SHACL violations against the EDC profile (no-cv and full)', async () => {
    expect(await validateEdc(edc, 'no-cv')).toEqual([]);
    expect(await validateEdc(edc, 'full')).toEqual([]);
  }, 30_000);

  it('expands in JSON-LD safe mode with bundled contexts only (no term dropped)', async () => {
    await expect(expand(edc)).resolves.toBeInstanceOf(Array);
  });

  it('is shaped as the EC sample: Person → LearningAchievement → Qualification, awarded, proven, influenced', () => {
    expect(edc['@context']).toEqual(['https://www.w3.org/2018/credentials/v1', EDC_AP_CONTEXT]);
    expect(edc.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    const claim = (edc.credentialSubject as ElmNode).hasClaim as ElmNode;
    expect((edc.credentialSubject as ElmNode).type).toBe('Person');
    expect(claim.type).toBe('LearningAchievement');
    expect((claim.specifiedBy as ElmNode).type).toBe('Qualification');
    expect((claim.awardedBy as ElmNode).type).toBe('AwardingProcess');
    expect((claim.provenBy as ElmNode).type).toBe('LearningAssessment');
    expect((claim.influencedBy as ElmNode).type).toBe('LearningActivity');
    expect(((claim.learningOpportunity as ElmNode).priceDetail as ElmNode).type).toBe('PriceDetail');
  });

  it('round trip OB → ELM → OB keeps all 16 elements equal; the ELM view states them too', () => {
    const imported = fromEuropass(edc);
    expect(imported.problems).toEqual([]);
    const again = reissueFromEuropass(imported);
    const before = readMicroCredential(credential);
    expect(elementsOf(readMicroCredential(again))).toEqual(elementsOf(before));
    // Read as ELM: the same values, except that ELM's country code is the authority table's (EST for EE).
    const asElm = elementsOf(imported.view);
    const withoutCodes = (v: Record<string, unknown>) => ({
      ...v,
      issuerCountries: (v.issuerCountries as { code?: string }[]).map(({ code: _code, ...c }) => c),
    });
    // An ungraded credential's EDC assessment must state a grade: it says "Completed".
    if (before.grade === undefined) expect(asElm.grade).toEqual({ value: 'Completed' });
    expect(withoutCodes({ ...asElm, grade: before.grade === undefined ? undefined : asElm.grade })).toEqual(
      withoutCodes(elementsOf(before)),
    );
  });
});

describe('where each Annex I element sits in the export', () => {
  const C = '$.credentialSubject.hasClaim';
  const table = (definition: MicroCredentialDefinition) =>
    fromEuropass(toEuropass(awardSeed(definition))).view.elements.map((e) => [e.n, e.key, e.where]);
  it('a course (Critical thinking and argumentation)', () => {
    expect(table(rei.criticalThinking)).toEqual([
      [1, 'learner', ['$.credentialSubject.identifier']],
      [2, 'title', [`${C}.specifiedBy.title`]],
      [3, 'country', [`${C}.awardedBy.awardingBody.location`]],
      [4, 'awardingBody', [`${C}.awardedBy.awardingBody`]],
      [5, 'dateOfIssuing', [`${C}.awardedBy.awardingDate`]],
      [6, 'learningOutcomes', [`${C}.specifiedBy.learningOutcome`]],
      [7, 'workload', [`${C}.specifiedBy.creditPoint`, `${C}.specifiedBy.volumeOfLearning`]],
      [8, 'level', [`${C}.specifiedBy.eqfLevel`, `${C}.specifiedBy.educationLevel`]],
      [9, 'assessment', [`${C}.provenBy`, `${C}.specifiedBy.provenBy[0]`]],
      [10, 'participation', [`${C}.specifiedBy.mode`, `${C}.influencedBy`, `${C}.specifiedBy.learningSetting`]],
      [11, 'qualityAssurance', [`${C}.specifiedBy.accreditation`]],
      [12, 'prerequisites', [`${C}.specifiedBy.entryRequirement`]],
      [13, 'supervision', [`${C}.provenBy.idVerification`]],
      [14, 'grade', [`${C}.provenBy.grade`]],
      [15, 'stackability', [`${C}.specifiedBy.dcType`]],
      [16, 'furtherInformation', [`${C}.specifiedBy.additionalNote`]],
    ]);
  });
  it('the programme: its parts under hasPart, two assessments', () => {
    const rows = table(rei.reiProgramme);
    expect(rows.find((r) => r[1] === 'assessment')?.[2]).toEqual([
      `${C}.provenBy`,
      `${C}.specifiedBy.provenBy[0]`,
      `${C}.specifiedBy.provenBy[1]`,
    ]);
    expect(rows.find((r) => r[1] === 'stackability')?.[2]).toEqual([
      `${C}.specifiedBy.dcType`,
      `${C}.specifiedBy.hasPart`,
    ]);
    expect(rows.every((r) => (r[2] as string[] | undefined)?.length)).toBe(true);
  });
  it('schedule and fee on the learning opportunity, the grading scale on the grading scheme', () => {
    const claim = (toEuropass(awardSeed(rei.criticalThinking)).credentialSubject as ElmNode).hasClaim as ElmNode;
    const opportunity = claim.learningOpportunity as ElmNode;
    expect((opportunity.learningSchedule as ElmNode).id).toBe(LearningSchedule.partTimeLight.id);
    expect(((opportunity.priceDetail as ElmNode).description as ElmNode).en).toMatch(/^Tuition fee/);
    const spec = ((claim.specifiedBy as ElmNode).provenBy as ElmNode[])[0]!;
    expect(JSON.parse(((spec.gradingScheme as ElmNode).identifier as ElmNode).notation as string)).toEqual({
      kind: 'letter',
      grades: ['A', 'B', 'C', 'D', 'E', 'F'],
      lowestPassing: 'E',
    });
  });
});

describe('awardAsEuropass: from a definition plus an award', () => {
  it('gives the document toEuropass gives for the award', () => {
    const options = {
      issuer: rei.university,
      learner: 'did:example:mari',
      grade: 'A',
      awardedOn: '2024-01-26',
      id: 'urn:uuid:0d6c1b8e-64a1-4d0b-8a70-4b3f2a6e9c11',
    } as const;
    expect(awardAsEuropass(rei.criticalThinking, options)).toEqual(toEuropass(award(rei.criticalThinking, options)));
  });
});

describe('round trip OB → ELM → OB on generated micro-credentials (property)', () => {
  const text = fc
    .string({ minLength: 1, maxLength: 30 })
    .filter((s) => s.trim().length > 0 && !s.includes('\n\nEU micro-credential: '));
  const conceptFrom = <T extends { id: string }>(v: { $concepts: readonly T[] }) =>
    fc.constantFrom(...v.$concepts.map((c) => c.id));
  const university = defineIssuer({
    id: 'https://uni.example/',
    name: 'University of Example',
    country: 'FI',
    region: 'Uusimaa',
  });
  const input = fc.record({
    title: text,
    outcomes: fc.array(fc.record({ text, esco: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    ects: fc.integer({ min: 1, max: 6000 }).map((n) => n / 100),
    hours: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
    eqf: fc.integer({ min: 1, max: 8 }),
    cycle: fc.constantFrom(undefined, 'short', 'first', 'second', 'third'),
    assessment: fc.array(
      fc.record({
        type: conceptFrom(AssessmentType),
        name: fc.option(text, { nil: undefined }),
        mode: fc.option(conceptFrom(LearningMode), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    modes: fc.uniqueArray(conceptFrom(LearningMode), { minLength: 1, maxLength: 2 }),
    activities: fc.uniqueArray(conceptFrom(LearningActivityType), { maxLength: 2 }),
    schedule: fc.option(conceptFrom(LearningSchedule), { nil: undefined }),
    setting: fc.option(conceptFrom(LearningSetting), { nil: undefined }),
    participationText: fc.option(text, { nil: undefined }),
    qa: fc.array(fc.record({ type: conceptFrom(QualityAssuranceType), url: fc.boolean(), agent: fc.boolean() }), {
      minLength: 1,
      maxLength: 2,
    }),
    prerequisites: fc.option(text, { nil: undefined }),
    supervision: fc.option(conceptFrom(SupervisionVerification), { nil: undefined }),
    grading: fc.constantFrom('letter', 'pass-fail', 'numeric', 'none'),
    failed: fc.boolean(),
    stackability: fc.option(conceptFrom(Stackability), { nil: undefined }),
    notes: fc.array(text, { maxLength: 2 }),
    fee: fc.option(text, { nil: undefined }),
    learner: fc.constantFrom('did', 'email', 'studentId+email'),
  });

  type Generated = typeof input extends fc.Arbitrary<infer T> ? T : never;
  const credentialFrom = (g: Generated) => {
    const grading =
      g.grading === 'letter'
        ? ({ kind: 'letter', grades: ['A', 'B', 'C'], lowestPassing: 'B' } as const)
        : g.grading === 'pass-fail'
          ? ({ kind: 'pass-fail', name: 'Result' } as const)
          : g.grading === 'numeric'
            ? ({ kind: 'numeric', min: 0, max: 100, passing: 50, description: 'Points' } as const)
            : undefined;
    const definition = defineMicroCredential({
      id: 'https://uni.example/mc/generated',
      title: g.title,
      description: 'A generated micro-credential.',
      awardingBodies: [university],
      learningOutcomes: g.outcomes.map((o, i) =>
        o.esco
          ? { text: o.text, escoSkills: [`http://data.europa.eu/esco/skill/00000000-0000-0000-0000-00000000000${i}`] }
          : o.text,
      ) as unknown as MicroCredentialInput['learningOutcomes'],
      workload: g.hours === undefined ? { ects: g.ects } : { ects: g.ects, hours: g.hours },
      level: { eqf: g.eqf as 1, ...(g.cycle ? { qfEheaCycle: g.cycle as 'first' } : {}) },
      assessment: g.assessment.map((a) => ({
        type: a.type,
        ...(a.name ? { name: a.name } : {}),
        ...(a.mode ? { mode: a.mode } : {}),
      })) as unknown as MicroCredentialInput['assessment'],
      participation: {
        mode: g.modes as unknown as MicroCredentialInput['participation']['mode'],
        ...(g.activities.length ? { activityTypes: g.activities as never } : {}),
        ...(g.schedule ? { schedule: g.schedule as never } : {}),
        ...(g.setting ? { setting: g.setting as never } : {}),
        ...(g.participationText ? { description: g.participationText } : {}),
      },
      qualityAssurance: g.qa.map((q, i) => ({
        type: q.type,
        ...(q.url ? { url: `https://qa.example/decisions/${i}` } : {}),
        ...(q.agent ? { accreditingAgent: { id: `https://qa.example/agency/${i}`, name: `Agency ${i}` } } : {}),
      })) as unknown as MicroCredentialInput['qualityAssurance'],
      ...(g.prerequisites ? { prerequisites: g.prerequisites } : {}),
      ...(g.supervision ? { supervision: g.supervision as never } : {}),
      ...(grading ? { grading } : {}),
      ...(g.stackability ? { stackability: g.stackability as never } : {}),
      ...(g.notes.length ? { furtherInformation: g.notes as [string, ...string[]] } : {}),
      ...(g.fee ? { fee: g.fee } : {}),
    });
    const grade =
      g.grading === 'letter'
        ? g.failed
          ? 'C'
          : 'A'
        : g.grading === 'pass-fail'
          ? g.failed
            ? 'fail'
            : 'pass'
          : g.grading === 'numeric'
            ? g.failed
              ? 10
              : 75
            : undefined;
    const learner =
      g.learner === 'did'
        ? 'did:example:learner'
        : g.learner === 'email'
          ? { email: 'l@example.org' }
          : { studentId: 'B1234', email: 'l@example.org' };
    return award(definition, {
      issuer: university,
      learner,
      ...(grade !== undefined ? { grade } : {}),
      awardedOn: '2025-06-30',
    });
  };

  it('keeps all 16 elements equal for 40 generated micro-credentials', () => {
    fc.assert(
      fc.property(input, (g) => {
        const credential = credentialFrom(g);
        const imported = fromEuropass(toEuropass(credential));
        expect(imported.problems).toEqual([]);
        const again = reissueFromEuropass(imported);
        expect(elementsOf(readMicroCredential(again))).toEqual(elementsOf(readMicroCredential(credential)));
        expect(again.credentialSubject.creditsEarned).toBe(credential.credentialSubject.creditsEarned);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('exports with zero SHACL violations for 8 generated micro-credentials', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (g) => {
        expect(await validateEdc(toEuropass(credentialFrom(g)))).toEqual([]);
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});

describe('the EC samples import with every element they carry found', () => {
  const present = (file: string) =>
    fromEuropass(JSON.parse(fs.readFileSync(fixturePath('edc', file), 'utf8')))
      .view.elements.filter((e) => e.present)
      .map((e) => e.n);
  it.each([
    // No quality assurance and no further information in the micro-credential sample (research notes §2.2).
    ['Sample-MC-Annex1-unsigned.jsonld', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15]],
    // The EDC upload form wraps the same credential in { credential }.
    ['Sample-MC-Annex1-unsigned-uploadable.json', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15]],
    // A certificate of participation in a webinar: no outcomes, level, assessment or quality assurance in it.
    ['Sample-CertOfPart-unsigned.jsonld', [1, 2, 3, 4, 5, 7, 10, 16]],
    // The ELM context's own minimal sample: a learning entitlement.
    ['credential-sample.jsonld', [1, 2, 3, 4, 5]],
  ])('%s', (file, expected) => {
    expect(present(file)).toEqual(expected);
  });

  it('the micro-credential sample reads as the reader reads it, and says why it cannot be re-issued (no QA)', () => {
    const doc = readFixtureJson<Record<string, unknown>>('edc', 'Sample-MC-Annex1-unsigned.jsonld');
    const imported = fromEuropass(doc);
    expect(imported.view).toEqual(readMicroCredential(doc));
    expect(imported.view.assessment).toHaveLength(1);
    expect(imported.input.assessment).toEqual([
      expect.objectContaining({ type: AssessmentType.artefactAssessment.id }),
    ]);
    expect(imported.input.grading).toMatchObject({ kind: 'pass-fail', pass: 'Pass' });
    expect(imported.issuer?.name).toBe('University of Zed');
    expect(imported.definition).toBeUndefined();
    expect(imported.problems.map((p) => p.path)).toEqual(['$.qualityAssurance']);
    expect(() => reissueFromEuropass(imported)).toThrow(expect.objectContaining({ code: 'MISSING_ELEMENT' }));
  });

  it('with the quality assurance added, the sample re-issues as an Open Badge with the same elements', () => {
    const doc = readFixtureJson<{ credentialSubject: { hasClaim: { specifiedBy: Record<string, unknown> } } }>(
      'edc',
      'Sample-MC-Annex1-unsigned.jsonld',
    );
    doc.credentialSubject.hasClaim.specifiedBy.accreditation = {
      id: 'urn:epass:accreditation:1',
      type: 'Accreditation',
      title: { en: 'Programme accreditation' },
      dcType: { id: QualityAssuranceType.programmeQA.id, type: 'Concept' },
      accreditingAgent: {
        id: 'urn:epass:org:9',
        type: 'Organisation',
        legalName: { en: 'Quality and Qualifications Ireland' },
      },
    };
    const imported = fromEuropass(doc);
    expect(imported.problems).toEqual([]);
    const ob = reissueFromEuropass(imported);
    const view = readMicroCredential(ob);
    expect(view.missingMandatory).toEqual([]);
    expect(view.title).toBe('Digital micro-credential creation');
    expect(view.workload).toMatchObject({ ects: 2, hours: 60 });
    expect(view.grade).toMatchObject({ value: 'Pass', status: 'Completed' });
    expect(view.supervision?.id).toBe(SupervisionVerification.unsupervisedWithoutIdVerification.id);
    expect(view.language).toBe('en');
  });
});

describe('verify on a European Digital Credential', () => {
  it('reads its elements and says plainly that the eIDAS seal is not checked (never verified)', async () => {
    const report = await verify(toEuropass(awardSeed(rei.criticalThinking)));
    expect(report.verified).toBe(false);
    const seal = report.checks.find((c) => c.check === 'seal');
    expect(seal).toMatchObject({ status: 'fail', code: 'UNSUPPORTED_PROOF' });
    expect(seal?.message).toMatch(/eIDAS electronic seal \(JAdES\) is not checked/);
    // The verdict's reasons say so too, with where to check the seal: it is about who signed, not about the content.
    expect(report.verdict.reasons.map((r) => r.text)).toContain(seal?.message);
    expect(report.euElements?.missingMandatory).toEqual([]);
    expect(report.checks.find((c) => c.check === 'contexts')?.status).toBe('pass');
  });
  it('an Open Badge gets no seal check', async () => {
    const report = await verify(awardSeed(rei.criticalThinking));
    expect(report.checks.some((c) => c.check === 'seal')).toBe(false);
  });
});

describe('hostile ELM input gives typed errors, never a crash', () => {
  const edc = toEuropass(awardSeed(rei.criticalThinking));
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof MicrocredError) return e.code;
      throw e;
    }
    return 'none';
  };

  it('not an ELM credential: INVALID_INPUT', () => {
    for (const bad of [
      null,
      undefined,
      42,
      [],
      'not json',
      '[]',
      {},
      { '@context': [EDC_AP_CONTEXT] },
      { '@context': [EDC_AP_CONTEXT], type: 'VerifiableCredential', credentialSubject: {} },
    ]) {
      expect(codeOf(() => fromEuropass(bad))).toBe('INVALID_INPUT');
    }
    expect(codeOf(() => fromEuropass(awardSeed(rei.criticalThinking)))).toBe('INVALID_INPUT');
  });

  it('unknown or inline contexts: UNKNOWN_CONTEXT (the keys could mean anything else)', () => {
    expect(
      codeOf(() =>
        fromEuropass({ ...edc, '@context': ['https://www.w3.org/2018/credentials/v1', 'https://evil.example/edc'] }),
      ),
    ).toBe('UNKNOWN_CONTEXT');
    expect(
      codeOf(() =>
        fromEuropass({
          ...edc,
          '@context': [
            'https://www.w3.org/2018/credentials/v1',
            EDC_AP_CONTEXT,
            { title: 'http://evil.example/title' },
          ],
        }),
      ),
    ).toBe('UNKNOWN_CONTEXT');
    expect(codeOf(() => fromEuropass({ ...edc, '@context': undefined }))).toBe('UNKNOWN_CONTEXT');
  });

  it('huge documents: INVALID_INPUT before any reading', () => {
    const huge = { ...edc, padding: 'x'.repeat(4 * 1024 * 1024 + 1) };
    expect(codeOf(() => fromEuropass(huge))).toBe('INVALID_INPUT');
    expect(codeOf(() => fromEuropass(JSON.stringify(huge)))).toBe('INVALID_INPUT');
  });

  it('cyclic and deeply nested objects: INVALID_INPUT', () => {
    const cyclic = structuredClone(edc) as Record<string, unknown>;
    (cyclic.credentialSubject as Record<string, unknown>).self = cyclic;
    expect(codeOf(() => fromEuropass(cyclic))).toBe('INVALID_INPUT');
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100_000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(codeOf(() => fromEuropass({ ...edc, deep: root }))).toMatch(/^(INVALID_INPUT|none)$/);
  });

  it('wrong types anywhere in the claim: a result with problems or a typed error (property)', () => {
    const paths: string[][] = [
      ['credentialSubject'],
      ['credentialSubject', 'hasClaim'],
      ['credentialSubject', 'hasClaim', 'specifiedBy'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'learningOutcome'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'creditPoint'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'provenBy'],
      ['credentialSubject', 'hasClaim', 'provenBy'],
      ['credentialSubject', 'hasClaim', 'provenBy', 'grade'],
      ['credentialSubject', 'hasClaim', 'awardedBy'],
      ['credentialSubject', 'hasClaim', 'awardedBy', 'awardingBody'],
      ['credentialSubject', 'identifier'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'accreditation'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'title'],
      ['issuer'],
      ['type'],
      ['validFrom'],
      ['credentialSubject', 'hasClaim', 'specifiedBy', 'provenBy', '0', 'gradingScheme', 'identifier', 'notation'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const doc = structuredClone(edc) as Record<string, unknown>;
        let at: Record<string, unknown> = doc;
        for (const key of path.slice(0, -1)) {
          const next = at[key];
          if (typeof next !== 'object' || next === null) return;
          at = next as Record<string, unknown>;
        }
        at[path.at(-1)!] = value;
        try {
          const imported = fromEuropass(doc);
          expect(Array.isArray(imported.problems)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(MicrocredError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('toEuropass refuses what it cannot export with a code', () => {
    expect(codeOf(() => toEuropass(null))).toBe('INVALID_INPUT');
    expect(codeOf(() => toEuropass(edc))).toBe('INVALID_INPUT');
    const untitled = structuredClone(awardSeed(rei.criticalThinking)) as unknown as {
      name?: string;
      credentialSubject: { achievement: { name?: string } };
    };
    delete untitled.credentialSubject.achievement.name;
    delete untitled.name;
    expect(codeOf(() => toEuropass(untitled))).toBe('MISSING_ELEMENT');
  });
});

describe("award with identity objects already encoded (the import's learner)", () => {
  const identity = {
    type: 'IdentityObject',
    identityHash: 'sha256$00ff',
    identityType: 'emailAddress',
    hashed: true,
    salt: 'salt-1234',
  } as const;
  it('keeps them as given', () => {
    const c = award(rei.criticalThinking, {
      issuer: rei.university,
      learner: { identityObjects: [identity] },
      grade: 'A',
    });
    expect(c.credentialSubject.identifier).toEqual([identity]);
  });
  it('refuses a malformed one', () => {
    expect(() =>
      award(rei.criticalThinking, {
        issuer: rei.university,
        learner: { identityObjects: [{ ...identity, hashed: 'yes' } as never] },
        grade: 'A',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.objectContaining({ code: 'INVALID_ELEMENT', path: '$.learner.identityObjects[0]' }),
        ]),
      }),
    );
  });
});
