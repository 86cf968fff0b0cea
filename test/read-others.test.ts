import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { readMicroCredential, type ElementSource } from '../src';
import { fixturePath } from './helpers/fixtures';

/**
 * readMicroCredential on the EU micro-credential encodings in use. One table per fixture: every Annex I element the
 * credential states (by reading it by hand; see the notes) is found, with the kind of encoding it was read from.
 * `-` = the credential does not state the element.
 */
type Row = [n: number, key: string, expected: ElementSource | '-'];

const read = (...p: string[]) => readMicroCredential(JSON.parse(fs.readFileSync(fixturePath(...p), 'utf8')));

function table(view: ReturnType<typeof readMicroCredential>): Row[] {
  return view.elements.map((e) => [e.n, e.key, e.present ? e.source! : '-']);
}

describe("the EC's ELM micro-credential sample (edc/Sample-MC-Annex1-unsigned.jsonld)", () => {
  const view = read('edc', 'Sample-MC-Annex1-unsigned.jsonld');
  it('finds every element the sample states (QA and further information are not in it)', () => {
    expect(table(view)).toEqual([
      [1, 'learner', 'elm'],
      [2, 'title', 'elm'],
      [3, 'country', 'elm'],
      [4, 'awardingBody', 'elm'],
      [5, 'dateOfIssuing', 'elm'],
      [6, 'learningOutcomes', 'elm'],
      [7, 'workload', 'elm'],
      [8, 'level', 'elm'],
      [9, 'assessment', 'elm'],
      [10, 'participation', 'elm'],
      [11, 'qualityAssurance', '-'], // absent from the official sample (research notes §2.2)
      [12, 'prerequisites', 'elm'],
      [13, 'supervision', 'elm'],
      [14, 'grade', 'elm'],
      [15, 'stackability', 'elm'], // isPartialQualification: false
      [16, 'furtherInformation', '-'],
    ]);
  });
  it('reads the values', () => {
    expect(view.format).toBe('elm');
    expect(view.title).toBe('Digital micro-credential creation');
    expect(view.awardingBodies[0]?.name).toBe('University of Zed');
    expect(view.issuerCountries[0]).toMatchObject({
      code: 'IRL',
      country: { label: 'Ireland' },
      region: 'Dublin city',
    });
    expect(view.workload).toMatchObject({ ects: 2, hours: 60 });
    expect(view.level.eqf).toBe(6);
    expect(view.learningOutcomes.map((o) => o.text)).toContain('Developing digital content');
    expect(view.assessment[0]).toMatchObject({
      name: 'Digital artefact assessment',
      type: { label: 'artefact assessment' },
    });
    expect(view.participation.modes.map((m) => m.label)).toEqual(['Blended']);
    expect(view.participation.activityTypes.map((m) => m.label)).toEqual(['e-learning coursework']);
    expect(view.supervision).toMatchObject({
      id: 'http://data.europa.eu/snb/supervision-verification/c598449d64',
      annexOption: 'unsupervised-no-id-verification',
    });
    expect(view.grade?.value).toBe('Pass');
    expect(view.prerequisites).toMatch(/EU Login/);
    expect(view.elements.find((e) => e.key === 'workload')?.where).toEqual([
      '$.credentialSubject.hasClaim.specifiedBy.creditPoint',
      '$.credentialSubject.hasClaim.specifiedBy.volumeOfLearning',
    ]);
  });
});

/** educredentials (SURF-sponsored) OB 3.0 micro-credentials: no learning outcomes, prerequisites, stackability or further information in them. */
const educredentialsTable: Row[] = [
  [1, 'learner', 'native'],
  [2, 'title', 'native'],
  [3, 'country', 'native'],
  [4, 'awardingBody', 'native'],
  [5, 'dateOfIssuing', 'native'],
  [6, 'learningOutcomes', '-'], // only criteria.narrative ("To earn this badge, you must attend…"): how to earn, not outcomes
  [7, 'workload', 'peer'], // ECTS
  [8, 'level', 'native'], // alignment targetType ext:EQF, targetCode 4
  [9, 'assessment', 'peer'], // assessmentType "testing"
  [10, 'participation', 'peer'], // participationType "onsite or blended"
  [11, 'qualityAssurance', 'native'], // alignment targetType ext:QualityAssurance (accreditation decision)
  [12, 'prerequisites', '-'],
  [13, 'supervision', 'peer'], // supervisionType, identityChecked
  [14, 'grade', 'native'],
  [15, 'stackability', '-'],
  [16, 'furtherInformation', '-'],
];

describe.each(['theed_microcredential_full_ho.json', 'uvh_at_microcredential_full_1.json'])(
  'educredentials %s',
  (file) => {
    const view = read('ob-extensions', 'educredentials', file);
    it('finds every element the credential states', () => {
      expect(table(view)).toEqual(educredentialsTable);
    });
    it('reads the values', () => {
      expect(view.workload.ects).toBe(3);
      expect(view.level.eqf).toBe(4);
      expect(view.assessment[0]?.type?.label).toBe('testing');
      expect(view.participation.modes[0]?.label).toBe('onsite or blended');
      expect(view.supervision).toMatchObject({ label: 'onsite with identity verification', identityVerified: true });
      expect(view.qualityAssurance[0]?.url).toMatch(/^https:\/\/data\.example\.com\/decisions\/AV-/);
      expect(view.grade?.value).toBe('8.5');
    });
  },
);

describe('1EdTech native fields (a MyNextID-style OB 3.0 micro-credential)', () => {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {
      id: 'https://uni.example',
      type: ['Profile'],
      name: 'Example University',
      address: { type: ['Address'], addressCountryCode: 'FI' },
    },
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      id: 'did:example:learner',
      achievement: {
        id: 'https://uni.example/a/1',
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Data literacy',
        creditsAvailable: 5,
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'EQF level 6',
            targetUrl: 'http://data.europa.eu/snb/eqf/6',
            targetFramework: 'European Qualifications Framework',
          },
          {
            type: ['Alignment'],
            targetName: 'Level 5',
            targetCode: '5',
            targetFramework: 'EQF',
            targetUrl: 'https://example.org/eqf',
          },
        ],
      },
    },
  };
  it('reads creditsAvailable and EQF alignments (by EU IRI, or by framework and targetCode)', () => {
    const view = readMicroCredential(credential);
    expect(table(view).filter(([, , s]) => s !== '-')).toEqual([
      [1, 'learner', 'native'],
      [2, 'title', 'native'],
      [3, 'country', 'native'],
      [4, 'awardingBody', 'native'],
      [5, 'dateOfIssuing', 'native'],
      [7, 'workload', 'native'],
      [8, 'level', 'native'],
    ]);
    expect(view.workload.ects).toBe(5);
    expect(view.level.eqf).toBe(6);
    expect(view.elements.find((e) => e.key === 'level')?.where).toEqual([
      '$.credentialSubject.achievement.alignment[0]',
      '$.credentialSubject.achievement.alignment[1]',
    ]);
  });
});

describe('hostile input', () => {
  it('readMicroCredential and checkConsistency never throw for any object, shaped like a credential or not', async () => {
    const { default: fc } = await import('fast-check');
    const { checkConsistency } = await import('../src');
    const keys = fc.constantFrom(
      'credentialSubject',
      'achievement',
      'hasClaim',
      'specifiedBy',
      'provenBy',
      'influencedBy',
      'awardedBy',
      'awardingBody',
      'creditPoint',
      'framework',
      'point',
      'eqfLevel',
      'alignment',
      'targetUrl',
      'targetCode',
      'targetType',
      'result',
      'resultDescription',
      'allowedValue',
      'requiredValue',
      'value',
      'status',
      'creditsEarned',
      'creditsAvailable',
      'ECTS',
      'prefLabel',
      'id',
      'type',
      'mode',
      'learningActivity',
      'activityType',
      'volumeOfLearning',
      'validFrom',
      'validUntil',
      'awardedDate',
      'activityStartDate',
      'location',
      'address',
      'countryCode',
      'issuer',
      'accreditation',
      'dateIssued',
      'reviewDate',
      'grade',
      'noteLiteral',
      'en',
      'supervisionType',
      'identityChecked',
      'stackable',
      'learningOutcome',
      'title',
    );
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant('EuropeanDigitalCredential'),
      fc.constant('http://data.europa.eu/snb/eqf/7'),
      fc.constant('http://data.europa.eu/snb/education-credit/6fcec5c5af'),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(keys, tie('node'), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(keys, tree, { maxKeys: 8 }), (doc) => {
        readMicroCredential(doc);
        checkConsistency(doc);
      }),
      { numRuns: 2000 },
    );
  });
});
