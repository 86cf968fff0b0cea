/**
 * The small value shapes an ELM v3 document is made of, as the EDC application-profile context writes them:
 * concepts with their scheme, language maps, notes, web resources. Shared by the export and the import.
 */
import { lookupConcept } from '../model/vocab';

/** The EDC application-profile JSON-LD context (ELM v3), bundled so ELM documents expand offline. */
export const EDC_AP_CONTEXT = 'http://data.europa.eu/snb/model/context/edc-ap';
/** The VC 1.1 context the Commission's EDC samples pair with the EDC context. */
export const VC_CONTEXT_V1_URL = 'https://www.w3.org/2018/credentials/v1';
/** The EDC SHACL application profile a credential names in `credentialSchema` (type `ShaclValidator2017`). */
export const EDC_GENERIC_FULL_PROFILE = 'http://data.europa.eu/snb/model/ap/edc-generic-full';

/** An ELM JSON object (the export writes only these). */
export type ElmNode = { [key: string]: ElmValue };
/** A value in an ELM JSON document. */
export type ElmValue = string | number | boolean | ElmNode | ElmValue[];

const SNB = 'http://data.europa.eu/snb/';
const AUTHORITY = 'http://publications.europa.eu/resource/authority/';
const ESCO_SKILL = 'http://data.europa.eu/esco/skill/';
const PROJECT_VOCAB = 'https://w3id.org/microcredentials/vocab/';

/**
 * The concept scheme a concept IRI belongs to, from the IRI's shape: EU Vocabularies schemes end in `/25831c2`,
 * authority tables are the table's IRI, ESCO skills are in ESCO's skill scheme, this project's own concepts in the
 * vocabulary the library defines. Undefined for an IRI of none of these.
 */
export function schemeOf(iri: string): string | undefined {
  const known = lookupConcept(iri)?.concept.scheme;
  if (known) return known;
  if (iri.startsWith(AUTHORITY)) {
    const table = iri.slice(AUTHORITY.length).split('/')[0];
    return table ? `${AUTHORITY}${table}` : undefined;
  }
  if (iri.startsWith(ESCO_SKILL)) return 'http://data.europa.eu/esco/concept-scheme/skills';
  if (iri.startsWith(SNB)) {
    const parts = iri.slice(SNB.length).split('/');
    return parts.length === 2 && parts[0] ? `${SNB}${parts[0]}/25831c2` : undefined;
  }
  if (iri.startsWith(PROJECT_VOCAB)) return iri.slice(0, iri.lastIndexOf('/'));
  return undefined;
}

/** A concept as ELM writes it: `{ id, type: 'Concept', inScheme: { id, type: 'ConceptScheme' }, prefLabel, notation? }`. */
export function elmConcept(iri: string, label?: string, notation?: string): ElmNode {
  const known = lookupConcept(iri)?.concept;
  const scheme = schemeOf(iri);
  const text = label ?? known?.label;
  const code = notation ?? known?.notation;
  return {
    id: iri,
    type: 'Concept',
    ...(scheme ? { inScheme: { id: scheme, type: 'ConceptScheme' } } : {}),
    ...(text ? { prefLabel: { en: text } } : {}),
    ...(code ? { notation: code } : {}),
  };
}

/** A language map with one entry. */
export function text(value: string, language: string): ElmNode {
  return { [language]: value };
}

/** An `elm:Note`: free text as ELM wants it (entry requirements, grades, further information). */
export function note(id: string, value: string, language: string): ElmNode {
  return { id, type: 'Note', noteLiteral: text(value, language) };
}

/** An `elm:WebResource`: a link. */
export function webResource(id: string, url: string): ElmNode {
  return { id, type: 'WebResource', contentURL: url };
}

/**
 * ISO 639-1 codes of the EU's official languages and a few neighbours → the Publications Office language
 * authority table's codes, which ELM uses for `dc:language`.
 */
const LANGUAGES: Readonly<Record<string, string>> = {
  bg: 'BUL',
  cs: 'CES',
  da: 'DAN',
  de: 'DEU',
  el: 'ELL',
  en: 'ENG',
  es: 'SPA',
  et: 'EST',
  fi: 'FIN',
  fr: 'FRA',
  ga: 'GLE',
  hr: 'HRV',
  hu: 'HUN',
  it: 'ITA',
  lt: 'LIT',
  lv: 'LAV',
  mt: 'MLT',
  nl: 'NLD',
  pl: 'POL',
  pt: 'POR',
  ro: 'RON',
  sk: 'SLK',
  sl: 'SLV',
  sv: 'SWE',
  is: 'ISL',
  no: 'NOR',
  nb: 'NOB',
  nn: 'NNO',
  ru: 'RUS',
  uk: 'UKR',
  tr: 'TUR',
  sq: 'SQI',
  mk: 'MKD',
  sr: 'SRP',
  bs: 'BOS',
  ca: 'CAT',
  eu: 'EUS',
  gl: 'GLG',
  lb: 'LTZ',
  cy: 'CYM',
};
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  BUL: 'Bulgarian',
  CES: 'Czech',
  DAN: 'Danish',
  DEU: 'German',
  ELL: 'Greek',
  ENG: 'English',
  SPA: 'Spanish',
  EST: 'Estonian',
  FIN: 'Finnish',
  FRA: 'French',
  GLE: 'Irish',
  HRV: 'Croatian',
  HUN: 'Hungarian',
  ITA: 'Italian',
  LIT: 'Lithuanian',
  LAV: 'Latvian',
  MLT: 'Maltese',
  NLD: 'Dutch',
  POL: 'Polish',
  POR: 'Portuguese',
  RON: 'Romanian',
  SLK: 'Slovak',
  SLV: 'Slovenian',
  SWE: 'Swedish',
  ISL: 'Icelandic',
  NOR: 'Norwegian',
  NOB: 'Norwegian Bokmål',
  NNO: 'Norwegian Nynorsk',
  RUS: 'Russian',
  UKR: 'Ukrainian',
  TUR: 'Turkish',
  SQI: 'Albanian',
  MKD: 'Macedonian',
  SRP: 'Serbian',
  BOS: 'Bosnian',
  CAT: 'Catalan',
  EUS: 'Basque',
  GLG: 'Galician',
  LTZ: 'Luxembourgish',
  CYM: 'Welsh',
};
const LANGUAGE_TABLE = `${AUTHORITY}language/`;

/** The language authority concept for a BCP 47 tag ("et", "en-GB"), or undefined for a language not in the table above. */
export function languageConcept(tag: string): ElmNode | undefined {
  const code = LANGUAGES[tag.split('-')[0]!.toLowerCase()];
  return code ? elmConcept(`${LANGUAGE_TABLE}${code}`, LANGUAGE_NAMES[code], 'language') : undefined;
}

/** The BCP 47 primary tag for a language authority IRI, or undefined. */
export function languageTag(iri: string): string | undefined {
  if (!iri.startsWith(LANGUAGE_TABLE)) return undefined;
  const code = iri.slice(LANGUAGE_TABLE.length);
  return Object.keys(LANGUAGES).find((k) => LANGUAGES[k] === code);
}

/** The part of a description the issuer wrote (the Open Badges text adds a line of key facts after it). */
export function ownDescription(description: string | undefined): string | undefined {
  return description?.split('\n\nEU micro-credential: ')[0];
}
