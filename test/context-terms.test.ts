import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { PROJECT_NAMESPACE, PROJECT_SCHEMES, PROJECT_TERMS, VOCABULARIES } from '../src/entries/model';
import { readFixtureText } from './helpers/fixtures';
import { reiProgramme } from '../examples/rei-programme';

/**
 * Every IRI our context defines is ELM's own (checked against the ELM ontology), a well-known vocabulary ELM itself
 * uses (Dublin Core, SKOS, FOAF, XML Schema datatypes), or one of the documented project terms.
 */
const context = JSON.parse(
  fs.readFileSync(new URL('../contexts/microcredentials-v1.jsonld', import.meta.url), 'utf8'),
) as { '@context': Record<string, unknown> };
const ELM = 'http://data.europa.eu/snb/model/elm/';
const ELM_USES = [
  'http://purl.org/dc/terms/',
  'http://www.w3.org/2004/02/skos/core#',
  'http://xmlns.com/foaf/0.1/',
  'http://www.w3.org/2001/XMLSchema#',
];

/** [term path, IRI] for every @id and datatype in the context, scoped contexts included. */
function iris(ctx: Record<string, unknown>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [term, def] of Object.entries(ctx)) {
    if (term.startsWith('@') || typeof def !== 'object' || def === null) continue;
    const d = def as Record<string, unknown>;
    if (typeof d['@id'] === 'string') out.push([`${prefix}${term}`, d['@id']]);
    if (typeof d['@type'] === 'string' && !d['@type'].startsWith('@')) out.push([`${prefix}${term} @type`, d['@type']]);
    if (typeof d['@context'] === 'object' && d['@context'] !== null)
      out.push(...iris(d['@context'] as Record<string, unknown>, `${prefix}${term} > `));
  }
  return out;
}

/**
 * Subjects the ELM 3.1 ontology defines (`elm:X` starting a statement), plus the properties the EDC application
 * profile's SHACL shapes use (`sh:path elm:X`): the profile is ELM 3.2, which adds e.g. elm:expiryDate.
 */
const elmTerms = new Set([
  ...[...readFixtureText('edc', 'ELM.ttl').matchAll(/^\s*elm:([A-Za-z0-9_]+)\s/gm)].map((m) => `${ELM}${m[1]}`),
  ...[...readFixtureText('edc', 'EDC-generic-no-cv.ttl').matchAll(/sh:path elm:([A-Za-z0-9_]+)/g)].map(
    (m) => `${ELM}${m[1]}`,
  ),
]);

describe("the context's IRIs", () => {
  const all = iris(context['@context']);

  it('defines terms (sanity)', () => {
    expect(all.length).toBeGreaterThan(40);
    expect(elmTerms.size).toBeGreaterThan(200);
  });

  it.each(all.filter(([, iri]) => iri.startsWith(ELM)))('%s → %s exists in ELM', (_term, iri) => {
    expect(elmTerms.has(iri)).toBe(true);
  });

  it('uses a project IRI only for a documented project term, and documents only terms it uses', () => {
    const project = all.filter(([, iri]) => iri.startsWith('https://w3id.org/microcredentials/'));
    expect(project.map(([, iri]) => iri).sort()).toEqual(PROJECT_TERMS.map((t) => t.iri).sort());
    for (const t of PROJECT_TERMS) expect(t.iri.startsWith(PROJECT_NAMESPACE)).toBe(true);
  });

  it('uses nothing else: every IRI is ELM, a vocabulary ELM uses, or a project term', () => {
    const other = all.filter(
      ([, iri]) =>
        !iri.startsWith(ELM) && !ELM_USES.some((ns) => iri.startsWith(ns)) && !PROJECT_TERMS.some((t) => t.iri === iri),
    );
    expect(other).toEqual([]);
  });

  it('ELM-true predicates where the EDC profile has one: provenBy, influencedBy, educationLevel, Qualification', () => {
    const byTerm = new Map(all);
    expect(byTerm.get('EUMicroCredentialAchievement')).toBe(`${ELM}Qualification`);
    expect(byTerm.get('EUMicroCredentialAchievement > assessment')).toBe(`${ELM}provenBy`);
    expect(byTerm.get('EUMicroCredentialAchievement > learningActivity')).toBe(`${ELM}influencedBy`);
    expect(byTerm.get('EUMicroCredentialAchievement > qfEheaCycle')).toBe(`${ELM}educationLevel`);
    expect(byTerm.get('Organisation')).toBe(`${ELM}Organisation`);
  });

  it('ELM ranges where they fit the OB shape: awarding bodies and accrediting agents are also elm:Organisation, concepts skos:Concept', () => {
    const a = reiProgramme.parts[0]!.achievement;
    expect(a.awardingBody?.[0]?.type).toEqual(['Profile', 'Organisation']);
    expect(a.accreditation?.[0]?.accreditingAgent?.type).toEqual(['Profile', 'Organisation']);
    expect(a.mode?.[0]).toMatchObject({ type: 'Concept', prefLabel: { en: 'Blended' } });
  });

  it('concept IRIs outside the EU vocabularies belong to a documented project scheme', () => {
    const projectSchemes = new Set<string>(PROJECT_SCHEMES.map((s) => s.vocabulary.$scheme));
    for (const vocab of Object.values(VOCABULARIES)) {
      if (vocab.$scheme.startsWith('https://w3id.org/microcredentials/'))
        expect(projectSchemes.has(vocab.$scheme), vocab.$scheme).toBe(true);
    }
  });
});
