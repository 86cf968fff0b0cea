import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isMicrocredError } from '../src/errors';
import {
  AssessmentType,
  Country,
  CreditSystem,
  CredentialType,
  EQF,
  IscedF,
  LearningActivityType,
  LearningMode,
  LearningOpportunityType,
  LearningSchedule,
  LearningSetting,
  QfEheaCycle,
  QualityAssuranceType,
  SkillReuseLevel,
  Stackability,
  SupervisionVerification,
  TargetGroup,
  VOCABULARIES,
  annexSupervisionOption,
  countryByAlpha2,
  countryByIri,
  defineVocabulary,
  eqfLevel,
  iscedF,
  iscedFBroader,
  iscedFLevel,
  isIscedFCode,
  lookupConcept,
  supervisionConceptFor,
  type AnyVocabulary,
} from '../src/model/vocab';
import { fixturePath, readFixtureJson, readFixtureText } from './helpers/fixtures';

/**
 * Reads an ELM controlled-list XSD independently of scripts/vocab-from-xsd.mjs (a different parse, so a bug in the
 * generator cannot hide itself): split on enumeration elements, take the value attribute and the documentation text.
 */
function readXsd(file: string): { scheme: string; concepts: Map<string, string> } {
  const text = readFixtureText('edc', 'cv', file);
  const scheme = text.match(/targetNamespace="([^"]+)"/)?.[1] ?? '';
  const concepts = new Map<string, string>();
  for (const chunk of text.split('<xs:enumeration').slice(1)) {
    const iri = chunk.match(/value="([^"]+)"/)?.[1];
    const doc = chunk.split('<xs:documentation>')[1]?.split('</xs:documentation>')[0];
    if (iri === undefined || doc === undefined) throw new Error(`${file}: unreadable enumeration`);
    concepts.set(iri, doc.split(/\s+/).filter(Boolean).join(' '));
  }
  return { scheme, concepts };
}

const XSD_BACKED: [string, AnyVocabulary][] = [
  ['eqf.xsd', EQF],
  ['credit-points.xsd', CreditSystem],
  ['europass-modes.xsd', LearningMode],
  ['europass-learning-setting-types.xsd', LearningSetting],
  ['europass-learning-schedule-types.xsd', LearningSchedule],
  ['europass-learning-assessment-types.xsd', AssessmentType],
  ['europass-accreditation-types.xsd', QualityAssuranceType],
  ['europass-learning-activity-types.xsd', LearningActivityType],
  ['europass-learning-opportunity-types.xsd', LearningOpportunityType],
  ['europass-target-groups.xsd', TargetGroup],
  ['skill-reuse-levels.xsd', SkillReuseLevel],
  ['europass-credential-types.xsd', CredentialType],
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isMicrocredError(e) ? e.code : `not a MicrocredError: ${String(e)}`;
  }
  return undefined;
}

describe('EU vocabularies agree with the ELM XSD enumerations', () => {
  test('every XSD in the fixture folder is covered', () => {
    const files = fs.readdirSync(fixturePath('edc', 'cv')).filter((f) => f.endsWith('.xsd'));
    expect(files.sort()).toEqual(XSD_BACKED.map(([f]) => f).sort());
  });

  test.each(XSD_BACKED)('%s', (file, vocab) => {
    const xsd = readXsd(file);
    expect(xsd.concepts.size).toBeGreaterThan(0);
    expect(vocab.$scheme).toBe(xsd.scheme);
    for (const concept of vocab.$concepts) {
      expect(xsd.concepts.get(concept.id), concept.id).toBe(concept.label);
      expect(concept.scheme).toBe(xsd.scheme);
    }
    // and nothing in the XSD is missing from the vocabulary
    expect(vocab.$concepts.map((c) => c.id).sort()).toEqual([...xsd.concepts.keys()].sort());
  });

  test('the named concepts the builders use point at the right XSD entries', () => {
    expect(LearningMode.online.label).toBe('Online');
    expect(LearningMode.workBased.label).toBe('Workbased');
    expect(LearningMode.researchLabBased.label).toBe('Research-Lab based');
    expect(CreditSystem.ects.label).toBe('European Credit Transfer System');
    expect(CreditSystem.ecvet.label).toMatch(/vocational education and training/);
    expect(LearningSetting.nonFormal.label).toBe('non-formal learning');
    expect(LearningSchedule.partTimeIntensive.label).toBe('Part time intensive');
    expect(QualityAssuranceType.programmeQA.label).toBe('Program Quality Assurance');
    expect(QualityAssuranceType.institutionalLicence.label).toBe('Institutional License');
    expect(AssessmentType.$concepts).toHaveLength(14);
    expect(LearningActivityType.$concepts).toHaveLength(11);
    expect(LearningOpportunityType.$concepts).toHaveLength(12);
    expect(TargetGroup.$concepts).toHaveLength(20);
    expect(TargetGroup.$scheme).toBe('http://data.europa.eu/snb/target-group/25831c2');
  });
});

describe('the official EDC micro-credential sample uses the same IRIs and labels', () => {
  // Walks the sample and collects every Concept object ({id, prefLabel.en}).
  function conceptsIn(node: unknown, out: { id: string; label: string; scheme?: string }[] = []) {
    if (Array.isArray(node)) node.forEach((n) => conceptsIn(n, out));
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const en = (o.prefLabel as Record<string, unknown> | undefined)?.en;
      if (o.type === 'Concept' && typeof o.id === 'string' && typeof en === 'string') {
        out.push({ id: o.id, label: en, scheme: (o.inScheme as { id?: string } | undefined)?.id });
      }
      Object.values(o).forEach((v) => conceptsIn(v, out));
    }
    return out;
  }

  test('every sample concept from a vocabulary we ship matches it', () => {
    const found = conceptsIn(readFixtureJson('edc', 'Sample-MC-Annex1-unsigned.jsonld'));
    const known = found.filter((c) => lookupConcept(c.id) !== undefined);
    // EQF 6, ECTS, two ISCED-F fields, modes, setting, learning opportunity, supervision, credential type, countries…
    expect(known.length).toBeGreaterThanOrEqual(12);
    for (const c of known) {
      const hit = lookupConcept(c.id)!;
      expect(hit.concept.label, c.id).toBe(c.label);
      expect(hit.concept.scheme, c.id).toBe(c.scheme);
    }
    // IRIs of schemes we cover must all be known (nothing from those schemes silently missing)
    const covered = new Set(Object.values(VOCABULARIES).map((v) => v.$scheme));
    for (const c of found)
      if (c.scheme !== undefined && covered.has(c.scheme)) expect(lookupConcept(c.id), c.id).toBeDefined();
  });
});

describe('all vocabularies', () => {
  const all = Object.entries(VOCABULARIES);

  test('concept IRIs are unique across vocabularies and lookupConcept finds each in its own', () => {
    const seen = new Map<string, string>();
    for (const [name, vocab] of all) {
      for (const concept of vocab.$concepts) {
        expect(seen.get(concept.id), `${concept.id} in ${name}`).toBeUndefined();
        seen.set(concept.id, name);
        const hit = lookupConcept(concept.id);
        expect(hit?.vocabulary).toBe(name);
        expect(hit?.concept).toBe(concept);
        expect(vocab.$byId(concept.id)).toBe(concept);
      }
    }
    expect(seen.size).toBeGreaterThan(400);
    expect(lookupConcept('http://data.europa.eu/snb/learning-assessment/0000000000')).toBeUndefined();
    expect(lookupConcept(42 as unknown as string)).toBeUndefined();
    expect(LearningMode.$byId(EQF.level1.id)).toBeUndefined();
  });

  test('concepts are frozen and carry their scheme', () => {
    for (const [, vocab] of all) {
      expect(Object.isFrozen(vocab)).toBe(true);
      for (const c of vocab.$concepts) {
        expect(Object.isFrozen(c)).toBe(true);
        expect(c.scheme).toBe(vocab.$scheme);
        expect(c.label.trim()).toBe(c.label);
        expect(c.label.length).toBeGreaterThan(0);
      }
    }
    expect(() => {
      (LearningMode.online as { label: string }).label = 'changed';
    }).toThrow(TypeError);
  });

  test('only QF-EHEA cycles and stackability are project-defined, and they live in the project namespace', () => {
    const projectDefined = all.filter(([, v]) => v.$projectDefined).map(([n]) => n);
    expect(projectDefined.sort()).toEqual(['QfEheaCycle', 'Stackability']);
    for (const [name, vocab] of all) {
      const ns = vocab.$projectDefined
        ? 'https://w3id.org/microcredentials/vocab/'
        : /^http:\/\/(data|publications)\.europa\.eu\//;
      for (const c of vocab.$concepts) {
        if (typeof ns === 'string') expect(c.id.startsWith(ns), `${name} ${c.id}`).toBe(true);
        else expect(c.id, name).toMatch(ns);
      }
    }
  });

  test('defineVocabulary rejects repeated IRIs and $-keys', () => {
    const dup = () =>
      defineVocabulary('urn:s', 't', { a: { id: 'urn:x', label: 'A' }, b: { id: 'urn:x', label: 'B' } });
    expect(codeOf(dup)).toBe('INVALID_INPUT');
    const reserved = () => defineVocabulary('urn:s', 't', { $scheme: { id: 'urn:x', label: 'A' } });
    expect(codeOf(reserved)).toBe('INVALID_INPUT');
  });
});

describe('EQF', () => {
  test('eqfLevel returns the level concept with its notation', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
      expect(eqfLevel(n).id).toBe(`http://data.europa.eu/snb/eqf/${n}`);
      expect(eqfLevel(n).notation).toBe(String(n));
    }
  });
});

describe('ISCED-F 2013', () => {
  const codes = IscedF.$concepts.map((c) => c.notation);

  test('IRI, key and notation are all the code', () => {
    for (const c of IscedF.$concepts) {
      expect(c.notation).toMatch(/^\d{2,4}$/);
      expect(c.id).toBe(`http://data.europa.eu/snb/isced-f/${c.notation}`);
      expect((IscedF as unknown as Record<string, unknown>)[`f${c.notation}`]).toBe(c);
    }
    expect(IscedF.f0613.label).toBe('Software and applications development and analysis');
    expect(IscedF.f01.label).toBe('Education');
  });

  test('the hierarchy is closed: every narrow and detailed field has its parents, every parent has children', () => {
    const set = new Set<string>(codes);
    for (const code of codes) {
      if (code.length >= 3) expect(set.has(code.slice(0, 2)), code).toBe(true);
      if (code.length === 4) expect(set.has(code.slice(0, 3)), code).toBe(true);
      if (code.length < 4)
        expect(
          codes.some((c) => c.length === code.length + 1 && c.startsWith(code)),
          code,
        ).toBe(true);
    }
  });

  test('it has the 11 broad, 29 narrow and 80 detailed fields the standard counts (not counting xx8, xx9 and 99)', () => {
    const broad = codes.filter((c) => c.length === 2 && c !== '99');
    const narrow = codes.filter((c) => c.length === 3 && !/[89]$/.test(c) && !c.startsWith('99'));
    expect(broad).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    expect(narrow).toHaveLength(29);
    expect(codes.filter((c) => c.length === 4 && !/[89]$/.test(c))).toHaveLength(80);
    // every inter-disciplinary narrow field xx8 has its single detailed field xx88, same for xx9 → xx99
    for (const c of codes.filter((x) => x.length === 3 && /[89]$/.test(x) && !x.startsWith('00'))) {
      expect(
        codes.filter((d) => d.length === 4 && d.startsWith(c)),
        c,
      ).toEqual([`${c}${c.at(-1)}`]);
    }
  });

  test('iscedF looks codes up and rejects unknown ones with INVALID_ELEMENT', () => {
    expect(iscedF('0613')).toBe(IscedF.f0613);
    expect(iscedF(' 003 ')).toBe(IscedF.f003);
    expect(codeOf(() => iscedF('0614'))).toBe('INVALID_ELEMENT');
    expect(codeOf(() => iscedF('6'))).toBe('INVALID_ELEMENT');
    expect(codeOf(() => iscedF(613 as unknown as string))).toBe('INVALID_ELEMENT');
    expect(isIscedFCode('0688')).toBe(true);
    expect(isIscedFCode('f0688')).toBe(false);
  });

  test('iscedFBroader and iscedFLevel walk up the hierarchy', () => {
    expect(iscedFBroader('0613')).toBe(IscedF.f061);
    expect(iscedFBroader('061')).toBe(IscedF.f06);
    expect(iscedFBroader('06')).toBeUndefined();
    expect(iscedFLevel('0688')).toBe('detailed');
    expect(iscedFLevel('003')).toBe('narrow');
    expect(iscedFLevel('10')).toBe('broad');
    expect(codeOf(() => iscedFBroader('0000'))).toBe('INVALID_ELEMENT');
  });
});

describe('Country', () => {
  test('249 ISO 3166-1 countries plus Kosovo', () => {
    expect(Country.$concepts).toHaveLength(250);
    expect(new Set(Country.$concepts.map((c) => c.alpha3)).size).toBe(250);
  });

  test('known mappings', () => {
    expect(countryByAlpha2('EE').id).toBe('http://publications.europa.eu/resource/authority/country/EST');
    expect(countryByAlpha2('DE').id).toBe('http://publications.europa.eu/resource/authority/country/DEU');
    expect(countryByAlpha2('GR').id).toBe('http://publications.europa.eu/resource/authority/country/GRC');
    expect(countryByAlpha2('GB').alpha3).toBe('GBR');
    expect(countryByAlpha2('XK').id).toBe('http://publications.europa.eu/resource/authority/country/XKX');
    expect(countryByAlpha2('EE').label).toBe('Estonia');
    expect(countryByAlpha2('EE').notation).toBe('EE');
  });

  test('countryByAlpha2 is case-insensitive and rejects unknown codes', () => {
    expect(countryByAlpha2('ee')).toBe(Country.EE);
    expect(countryByAlpha2(' fi ')).toBe(Country.FI);
    for (const bad of ['EL', 'ZZ', 'EST', '', 'e'])
      expect(
        codeOf(() => countryByAlpha2(bad)),
        bad,
      ).toBe('INVALID_ELEMENT');
    expect(codeOf(() => countryByAlpha2(undefined as unknown as string))).toBe('INVALID_ELEMENT');
  });

  test('countryByIri', () => {
    expect(countryByIri('http://publications.europa.eu/resource/authority/country/IRL')).toBe(Country.IE);
    expect(countryByIri('http://publications.europa.eu/resource/authority/country/EL')).toBeUndefined();
  });

  // The Debian iso-codes package is an independent copy of ISO 3166-1. CI installs it (.ci/run), so there a missing
  // copy fails; only a developer machine without the package skips this comparison.
  const isoCodes = '/usr/share/iso-codes/json/iso_3166-1.json';
  test.skipIf(!fs.existsSync(isoCodes) && !process.env.CI)('agrees with the iso-codes copy of ISO 3166-1', () => {
    const iso = (
      JSON.parse(fs.readFileSync(isoCodes, 'utf8')) as {
        '3166-1': { alpha_2: string; alpha_3: string; name: string }[];
      }
    )['3166-1'];
    expect(iso).toHaveLength(249);
    for (const entry of iso) {
      const c = countryByAlpha2(entry.alpha_2);
      expect(c.alpha3, entry.alpha_2).toBe(entry.alpha_3);
      expect(c.label, entry.alpha_2).toBe(entry.name);
    }
  });
});

describe('supervision and ID verification', () => {
  test('each concept maps to an Annex I option', () => {
    expect(annexSupervisionOption(SupervisionVerification.unsupervisedWithoutIdVerification)).toBe(
      'unsupervised-no-id-verification',
    );
    expect(annexSupervisionOption(SupervisionVerification.supervisedWithIdVerification)).toBe(
      'supervised-with-id-verification',
    );
    // never reported as supervised when it was not
    expect(annexSupervisionOption(SupervisionVerification.unsupervisedWithIdVerification)).toMatch(/^unsupervised-/);
    for (const c of SupervisionVerification.$concepts) expect(annexSupervisionOption(c)).toMatch(/-id-verification$/);
  });

  test("the sample credential's concept maps, unknown concepts are rejected", () => {
    expect(annexSupervisionOption({ id: 'http://data.europa.eu/snb/supervision-verification/c598449d64' })).toBe(
      'unsupervised-no-id-verification',
    );
    expect(codeOf(() => annexSupervisionOption(LearningMode.online))).toBe('INVALID_ELEMENT');
    expect(codeOf(() => annexSupervisionOption(null as unknown as { id: string }))).toBe('INVALID_ELEMENT');
  });

  test('supervisionConceptFor round-trips where an EU concept exists', () => {
    for (const option of ['unsupervised-no-id-verification', 'supervised-with-id-verification'] as const) {
      expect(annexSupervisionOption(supervisionConceptFor(option)!)).toBe(option);
    }
    expect(supervisionConceptFor('supervised-no-id-verification')).toBeUndefined();
  });
});

describe('project-defined vocabularies', () => {
  test('QF-EHEA cycles map to their typical EQF levels', () => {
    expect(QfEheaCycle.shortCycle.id).toBe('https://w3id.org/microcredentials/vocab/qf-ehea/short-cycle');
    expect(QfEheaCycle.$concepts.map((c) => [c.id.split('/').at(-1), c.eqfLevel])).toEqual([
      ['short-cycle', 5],
      ['first-cycle', 6],
      ['second-cycle', 7],
      ['third-cycle', 8],
    ]);
    for (const c of QfEheaCycle.$concepts) expect(lookupConcept(eqfLevel(c.eqfLevel).id)?.vocabulary).toBe('EQF');
  });

  test('stackability has the two Annex I options', () => {
    expect(Stackability.standAlone).toMatchObject({
      id: 'https://w3id.org/microcredentials/vocab/stackability/stand-alone',
      label: 'Stand-alone, independent micro-credential',
    });
    expect(Stackability.integratedStackable).toMatchObject({
      id: 'https://w3id.org/microcredentials/vocab/stackability/integrated-stackable',
      label: 'Integrated, stackable towards another credential',
    });
    expect(Stackability.$concepts).toHaveLength(2);
  });
});
