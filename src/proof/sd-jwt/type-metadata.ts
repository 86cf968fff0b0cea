import { EU_MICROCREDENTIAL_VCT } from './claims';

/** Display text of a claim in one language (SD-JWT VC type metadata, claim `display` entry). */
export interface ClaimDisplay {
  locale: string;
  label: string;
  description?: string;
}

/** One claim of SD-JWT VC type metadata: its path, display text, and whether it is selectively disclosable. */
export interface TypeMetadataClaim {
  path: (string | null)[];
  display: ClaimDisplay[];
  sd?: 'always' | 'allowed' | 'never';
  svg_id?: string;
}

/** SD-JWT VC type metadata (draft-ietf-oauth-sd-jwt-vc, "Type Metadata"), the part this library writes. */
export interface SdJwtVcTypeMetadata {
  vct: string;
  name: string;
  description: string;
  display: {
    locale: string;
    name: string;
    description: string;
    rendering: { simple: { background_color: string; text_color: string } };
  }[];
  claims: TypeMetadataClaim[];
}

/** [path, English label, English description, Estonian label, Estonian description, sd]. */
type Row = [(string | null)[], string, string, string, string, ('always' | 'never')?];

const ROWS: Row[] = [
  [
    ['learner'],
    'Learner',
    'Annex I element 1: identification of the learner',
    'Õppija',
    'I lisa element 1: õppija tuvastamine',
  ],
  [['learner', 'name'], 'Name', "The learner's name", 'Nimi', 'Õppija nimi'],
  [
    ['learner', 'id'],
    'Learner identifier',
    "The learner's identifier (a DID or URL)",
    'Õppija tunnus',
    'Õppija tunnus (DID või URL)',
  ],
  [
    ['learner', 'identifiers', null],
    'Identifier',
    "A salted hash of one of the learner's identifiers (e-mail, student number); a verifier who knows the value and the salt can check it",
    'Tunnus',
    'Õppija ühe tunnuse (e-post, matriklinumber) soolaga räsi; kontrollija, kes teab väärtust ja soola, saab seda kontrollida',
  ],
  [
    ['title'],
    'Title',
    'Annex I element 2: title of the micro-credential',
    'Nimetus',
    'I lisa element 2: mikrokvalifikatsiooni nimetus',
  ],
  [
    ['description'],
    'Description',
    'What the micro-credential is about',
    'Kirjeldus',
    'Mikrokvalifikatsiooni kirjeldus',
  ],
  [
    ['issuer_country'],
    'Country of the issuer',
    'Annex I element 3: country(ies)/region(s) of the issuer',
    'Väljastaja riik',
    'I lisa element 3: väljastaja riik/riigid või piirkond(ad)',
  ],
  [
    ['awarding_body'],
    'Awarding body',
    'Annex I element 4: awarding body(ies)',
    'Väljastaja',
    'I lisa element 4: tunnistuse väljastanud asutus(ed)',
  ],
  [
    ['date_of_issuing'],
    'Date of issuing',
    'Annex I element 5: date of issuing',
    'Väljastamise kuupäev',
    'I lisa element 5: väljastamise kuupäev',
  ],
  [
    ['learning_outcomes'],
    'Learning outcomes',
    'Annex I element 6: learning outcomes',
    'Õpiväljundid',
    'I lisa element 6: õpiväljundid',
  ],
  [
    ['workload'],
    'Workload',
    'Annex I element 7: notional workload needed to achieve the learning outcomes (ECTS)',
    'Maht',
    'I lisa element 7: õpiväljundite saavutamiseks vajalik hinnanguline töömaht (EAP)',
  ],
  [
    ['workload', 'ects'],
    'ECTS credits',
    'Credits in the European Credit Transfer and Accumulation System',
    'EAP',
    'Euroopa ainepunktid',
  ],
  [['workload', 'hours'], 'Hours of study', 'Notional hours of learning', 'Õppetunnid', 'Hinnanguline õppetundide arv'],
  [
    ['level'],
    'Level',
    'Annex I element 8: level (and cycle) of the learning experience (EQF, QF-EHEA)',
    'Tase',
    'I lisa element 8: õpikogemuse tase (ja aste) (EQF, QF-EHEA)',
  ],
  [
    ['level', 'eqf'],
    'EQF level',
    'European Qualifications Framework level (1–8)',
    'EKR tase',
    'Euroopa kvalifikatsiooniraamistiku tase (1–8)',
  ],
  [
    ['assessment'],
    'Type of assessment',
    'Annex I element 9: type of assessment',
    'Hindamise liik',
    'I lisa element 9: hindamise liik',
  ],
  [
    ['participation'],
    'Form of participation',
    'Annex I element 10: form of participation in the learning activity',
    'Osalemise vorm',
    'I lisa element 10: õppetegevuses osalemise vorm',
  ],
  [
    ['quality_assurance'],
    'Quality assurance',
    'Annex I element 11: type of quality assurance used to underpin the micro-credential',
    'Kvaliteedi tagamine',
    'I lisa element 11: mikrokvalifikatsiooni aluseks olev kvaliteedi tagamise liik',
  ],
  [
    ['prerequisites'],
    'Prerequisites',
    'Annex I element 12: prerequisites needed to enrol in the learning activity',
    'Eeldused',
    'I lisa element 12: õppetegevusse registreerumiseks vajalikud eeldused',
  ],
  [
    ['target_groups'],
    'Target groups',
    'Who the learning activity is for (with element 12)',
    'Sihtrühmad',
    'Kellele õppetegevus on mõeldud (koos elemendiga 12)',
  ],
  [
    ['supervision'],
    'Supervision and identity verification',
    'Annex I element 13: supervision and identity verification during assessment',
    'Järelevalve ja isikusamasuse kontroll',
    'I lisa element 13: järelevalve ja isikusamasuse kontroll hindamisel',
  ],
  [['grade'], 'Grade', 'Annex I element 14: grade achieved', 'Hinne', 'I lisa element 14: saadud hinne'],
  [['grade', 'value'], 'Grade achieved', 'The grade or result', 'Saadud hinne', 'Hinne või tulemus'],
  [
    ['grade', 'scheme'],
    'Grading scheme',
    'The grading scheme the grade belongs to',
    'Hindamisskaala',
    'Hindamisskaala, kuhu hinne kuulub',
  ],
  [
    ['stackability'],
    'Integration and stackability',
    'Annex I element 15: integration/stackability options',
    'Lõimitavus ja kombineeritavus',
    'I lisa element 15: lõimimise ja kombineerimise võimalused',
  ],
  [
    ['further_information'],
    'Further information',
    'Annex I element 16: further information',
    'Lisateave',
    'I lisa element 16: lisateave',
  ],
  [
    ['achievement'],
    'Achievement',
    'The Open Badges achievement: its type, language and field of study',
    'Saavutus',
    'Open Badges saavutus: liik, keel ja õppevaldkond',
  ],
  [
    ['credential_id'],
    'Credential identifier',
    'The identifier of the Open Badges credential this SD-JWT VC was issued from',
    'Tunnistuse tunnus',
    'Open Badges tunnistuse tunnus, millest see SD-JWT VC väljastati',
  ],
  [['iss'], 'Issuer', 'Who signed the credential', 'Väljastaja', 'Kes tunnistuse allkirjastas', 'never'],
  [
    ['vct'],
    'Credential type',
    'EU micro-credential (Council Recommendation 2022/C 243/02)',
    'Tunnistuse liik',
    'ELi mikrokvalifikatsioon (nõukogu soovitus 2022/C 243/02)',
    'never',
  ],
];

/**
 * Type metadata for {@link EU_MICROCREDENTIAL_VCT}: display names and descriptions of every claim in English and
 * Estonian, and the rendering hints. Bundled, so a verifier can show a credential without fetching anything; the
 * issuing service serves the same object at the `vct` URL (and at `/.well-known/vct/…`).
 */
export const EU_MICROCREDENTIAL_TYPE_METADATA: SdJwtVcTypeMetadata = {
  vct: EU_MICROCREDENTIAL_VCT,
  name: 'EU micro-credential',
  description:
    'An EU micro-credential with the 16 elements of Annex I of Council Recommendation 2022/C 243/02, issued from an Open Badges 3.0 credential; every element, the grade and every learner identifier are selectively disclosable.',
  display: [
    {
      locale: 'en',
      name: 'Micro-credential',
      description: 'Proof of learning outcomes of a short, assessed learning experience (EU micro-credential)',
      rendering: { simple: { background_color: '#003399', text_color: '#FFFFFF' } },
    },
    {
      locale: 'et',
      name: 'Mikrokvalifikatsioon',
      description: 'Tõend lühikese, hinnatud õpikogemuse õpiväljundite kohta (ELi mikrokvalifikatsioon)',
      rendering: { simple: { background_color: '#003399', text_color: '#FFFFFF' } },
    },
  ],
  claims: ROWS.map(([path, en, enText, et, etText, sd]) => ({
    path,
    display: [
      { locale: 'en', label: en, description: enText },
      { locale: 'et', label: et, description: etText },
    ],
    sd: sd ?? 'always',
    ...(path.length === 1 && path[0] !== null ? { svg_id: path[0] } : {}),
  })),
};
