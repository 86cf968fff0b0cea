import { MicrocredError } from '../../errors';
import type { Concept, ConceptOf } from './concept';
import { ownedVocabulary } from './owned';

/**
 * ISCED-F 2013 fields of education and training (UNESCO Institute for Statistics, "ISCED Fields of Education and
 * Training 2013", 2014), as published by the EU as scheme `http://data.europa.eu/snb/isced-f/25831c2` with concept
 * IRI `http://data.europa.eu/snb/isced-f/{code}` (ELM `thematicArea` / `elm:ISCEDFCode`).
 *
 * No XSD for this scheme ships with ELM v3; the table is written from the UNESCO standard: 2-digit broad fields,
 * 3-digit narrow fields and 4-digit detailed fields, including the generic 00x fields, the inter-disciplinary
 * xx8/xxx8 fields and the "not elsewhere classified" xx9/xxx9 fields, plus 99 "Field unknown".
 * The EDC micro-credential sample's labels for 003 and 0688 match this table verbatim.
 */
const ISCED_F_TABLE = [
  ['00', 'Generic programmes and qualifications'],
  ['001', 'Basic programmes and qualifications'],
  ['0011', 'Basic programmes and qualifications'],
  ['002', 'Literacy and numeracy'],
  ['0021', 'Literacy and numeracy'],
  ['003', 'Personal skills and development'],
  ['0031', 'Personal skills and development'],

  ['01', 'Education'],
  ['011', 'Education'],
  ['0111', 'Education science'],
  ['0112', 'Training for pre-school teachers'],
  ['0113', 'Teacher training without subject specialisation'],
  ['0114', 'Teacher training with subject specialisation'],
  ['0119', 'Education not elsewhere classified'],
  ['018', 'Inter-disciplinary programmes and qualifications involving education'],
  ['0188', 'Inter-disciplinary programmes and qualifications involving education'],

  ['02', 'Arts and humanities'],
  ['021', 'Arts'],
  ['0211', 'Audio-visual techniques and media production'],
  ['0212', 'Fashion, interior and industrial design'],
  ['0213', 'Fine arts'],
  ['0214', 'Handicrafts'],
  ['0215', 'Music and performing arts'],
  ['0219', 'Arts not elsewhere classified'],
  ['022', 'Humanities (except languages)'],
  ['0221', 'Religion and theology'],
  ['0222', 'History and archaeology'],
  ['0223', 'Philosophy and ethics'],
  ['0229', 'Humanities (except languages) not elsewhere classified'],
  ['023', 'Languages'],
  ['0231', 'Language acquisition'],
  ['0232', 'Literature and linguistics'],
  ['0239', 'Languages not elsewhere classified'],
  ['028', 'Inter-disciplinary programmes and qualifications involving arts and humanities'],
  ['0288', 'Inter-disciplinary programmes and qualifications involving arts and humanities'],
  ['029', 'Arts and humanities not elsewhere classified'],
  ['0299', 'Arts and humanities not elsewhere classified'],

  ['03', 'Social sciences, journalism and information'],
  ['031', 'Social and behavioural sciences'],
  ['0311', 'Economics'],
  ['0312', 'Political sciences and civics'],
  ['0313', 'Psychology'],
  ['0314', 'Sociology and cultural studies'],
  ['0319', 'Social and behavioural sciences not elsewhere classified'],
  ['032', 'Journalism and information'],
  ['0321', 'Journalism and reporting'],
  ['0322', 'Library, information and archival studies'],
  ['0329', 'Journalism and information not elsewhere classified'],
  ['038', 'Inter-disciplinary programmes and qualifications involving social sciences, journalism and information'],
  ['0388', 'Inter-disciplinary programmes and qualifications involving social sciences, journalism and information'],
  ['039', 'Social sciences, journalism and information not elsewhere classified'],
  ['0399', 'Social sciences, journalism and information not elsewhere classified'],

  ['04', 'Business, administration and law'],
  ['041', 'Business and administration'],
  ['0411', 'Accounting and taxation'],
  ['0412', 'Finance, banking and insurance'],
  ['0413', 'Management and administration'],
  ['0414', 'Marketing and advertising'],
  ['0415', 'Secretarial and office work'],
  ['0416', 'Wholesale and retail sales'],
  ['0417', 'Work skills'],
  ['0419', 'Business and administration not elsewhere classified'],
  ['042', 'Law'],
  ['0421', 'Law'],
  ['048', 'Inter-disciplinary programmes and qualifications involving business, administration and law'],
  ['0488', 'Inter-disciplinary programmes and qualifications involving business, administration and law'],
  ['049', 'Business, administration and law not elsewhere classified'],
  ['0499', 'Business, administration and law not elsewhere classified'],

  ['05', 'Natural sciences, mathematics and statistics'],
  ['051', 'Biological and related sciences'],
  ['0511', 'Biology'],
  ['0512', 'Biochemistry'],
  ['0519', 'Biological and related sciences not elsewhere classified'],
  ['052', 'Environment'],
  ['0521', 'Environmental sciences'],
  ['0522', 'Natural environments and wildlife'],
  ['0529', 'Environment not elsewhere classified'],
  ['053', 'Physical sciences'],
  ['0531', 'Chemistry'],
  ['0532', 'Earth sciences'],
  ['0533', 'Physics'],
  ['0539', 'Physical sciences not elsewhere classified'],
  ['054', 'Mathematics and statistics'],
  ['0541', 'Mathematics'],
  ['0542', 'Statistics'],
  ['058', 'Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics'],
  ['0588', 'Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics'],
  ['059', 'Natural sciences, mathematics and statistics not elsewhere classified'],
  ['0599', 'Natural sciences, mathematics and statistics not elsewhere classified'],

  ['06', 'Information and Communication Technologies (ICTs)'],
  ['061', 'Information and Communication Technologies (ICTs)'],
  ['0611', 'Computer use'],
  ['0612', 'Database and network design and administration'],
  ['0613', 'Software and applications development and analysis'],
  ['0619', 'Information and Communication Technologies (ICTs) not elsewhere classified'],
  [
    '068',
    'Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)',
  ],
  [
    '0688',
    'Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)',
  ],

  ['07', 'Engineering, manufacturing and construction'],
  ['071', 'Engineering and engineering trades'],
  ['0711', 'Chemical engineering and processes'],
  ['0712', 'Environmental protection technology'],
  ['0713', 'Electricity and energy'],
  ['0714', 'Electronics and automation'],
  ['0715', 'Mechanics and metal trades'],
  ['0716', 'Motor vehicles, ships and aircraft'],
  ['0719', 'Engineering and engineering trades not elsewhere classified'],
  ['072', 'Manufacturing and processing'],
  ['0721', 'Food processing'],
  ['0722', 'Materials (glass, paper, plastic and wood)'],
  ['0723', 'Textiles (clothes, footwear and leather)'],
  ['0724', 'Mining and extraction'],
  ['0729', 'Manufacturing and processing not elsewhere classified'],
  ['073', 'Architecture and construction'],
  ['0731', 'Architecture and town planning'],
  ['0732', 'Building and civil engineering'],
  ['078', 'Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction'],
  ['0788', 'Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction'],
  ['079', 'Engineering, manufacturing and construction not elsewhere classified'],
  ['0799', 'Engineering, manufacturing and construction not elsewhere classified'],

  ['08', 'Agriculture, forestry, fisheries and veterinary'],
  ['081', 'Agriculture'],
  ['0811', 'Crop and livestock production'],
  ['0812', 'Horticulture'],
  ['0819', 'Agriculture not elsewhere classified'],
  ['082', 'Forestry'],
  ['0821', 'Forestry'],
  ['083', 'Fisheries'],
  ['0831', 'Fisheries'],
  ['084', 'Veterinary'],
  ['0841', 'Veterinary'],
  ['088', 'Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary'],
  [
    '0888',
    'Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary',
  ],
  ['089', 'Agriculture, forestry, fisheries and veterinary not elsewhere classified'],
  ['0899', 'Agriculture, forestry, fisheries and veterinary not elsewhere classified'],

  ['09', 'Health and welfare'],
  ['091', 'Health'],
  ['0911', 'Dental studies'],
  ['0912', 'Medicine'],
  ['0913', 'Nursing and midwifery'],
  ['0914', 'Medical diagnostic and treatment technology'],
  ['0915', 'Therapy and rehabilitation'],
  ['0916', 'Pharmacy'],
  ['0917', 'Traditional and complementary medicine and therapy'],
  ['0919', 'Health not elsewhere classified'],
  ['092', 'Welfare'],
  ['0921', 'Care of the elderly and of disabled adults'],
  ['0922', 'Child care and youth services'],
  ['0923', 'Social work and counselling'],
  ['0929', 'Welfare not elsewhere classified'],
  ['098', 'Inter-disciplinary programmes and qualifications involving health and welfare'],
  ['0988', 'Inter-disciplinary programmes and qualifications involving health and welfare'],
  ['099', 'Health and welfare not elsewhere classified'],
  ['0999', 'Health and welfare not elsewhere classified'],

  ['10', 'Services'],
  ['101', 'Personal services'],
  ['1011', 'Domestic services'],
  ['1012', 'Hair and beauty services'],
  ['1013', 'Hotel, restaurants and catering'],
  ['1014', 'Sports'],
  ['1015', 'Travel, tourism and leisure'],
  ['1019', 'Personal services not elsewhere classified'],
  ['102', 'Hygiene and occupational health services'],
  ['1021', 'Community sanitation'],
  ['1022', 'Occupational health and safety'],
  ['1029', 'Hygiene and occupational health services not elsewhere classified'],
  ['103', 'Security services'],
  ['1031', 'Military and defence'],
  ['1032', 'Protection of persons and property'],
  ['1039', 'Security services not elsewhere classified'],
  ['104', 'Transport services'],
  ['1041', 'Transport services'],
  ['108', 'Inter-disciplinary programmes and qualifications involving services'],
  ['1088', 'Inter-disciplinary programmes and qualifications involving services'],
  ['109', 'Services not elsewhere classified'],
  ['1099', 'Services not elsewhere classified'],

  ['99', 'Field unknown'],
  ['999', 'Field unknown'],
  ['9999', 'Field unknown'],
] as const;

type IscedFRow = (typeof ISCED_F_TABLE)[number];

/** Every ISCED-F 2013 code (broad "06", narrow "061", detailed "0613"). */
export type IscedFCode = IscedFRow[0];

const ISCED_F_BASE = 'http://data.europa.eu/snb/isced-f/';

/** Concepts keyed `f` + code (`IscedF.f0613`), since a property name cannot start with a digit. */
type IscedFConcepts = {
  readonly [R in IscedFRow as `f${R[0]}`]: {
    readonly id: `${typeof ISCED_F_BASE}${R[0]}`;
    readonly label: R[1];
    readonly notation: R[0];
  };
};

const ISCED_F_SCHEME = 'http://data.europa.eu/snb/isced-f/25831c2';

/** Concepts by code, filled as the concepts are made. */
const byCode = new Map<string, IscedFConcept>();

/** Each concept in its final form (`defineVocabulary`'s key order: the row's fields, then `scheme`). */
function buildConcepts(): Record<string, Concept> {
  const out: Record<string, Concept> = {};
  for (const row of ISCED_F_TABLE) {
    const concept = {
      id: `${ISCED_F_BASE}${row[0]}`,
      label: row[1],
      notation: row[0],
      scheme: ISCED_F_SCHEME,
    } as Concept;
    out[`f${row[0]}`] = concept;
    byCode.set(row[0], concept as IscedFConcept);
  }
  return out;
}

/**
 * ISCED-F 2013 as a vocabulary. Keys are `f` + code: `IscedF.f06` (broad), `IscedF.f061` (narrow),
 * `IscedF.f0613` (detailed); `notation` is the code itself. Use `iscedF('0613')` to look a code up at run time.
 */
export const IscedF = ownedVocabulary<typeof ISCED_F_SCHEME, IscedFConcepts>(
  ISCED_F_SCHEME,
  'ISCED-F 2013 fields of education and training',
  buildConcepts(),
);

/** A concept of the ISCED-F 2013 fields of education vocabulary. */
export type IscedFConcept = ConceptOf<typeof IscedF>;

/** Hierarchy level of an ISCED-F code, from its length. */
export type IscedFLevel = 'broad' | 'narrow' | 'detailed';

/** True for a string that is an ISCED-F 2013 code in this table. */
export function isIscedFCode(code: unknown): code is IscedFCode {
  return typeof code === 'string' && byCode.has(code);
}

/** The concept for an ISCED-F code ("0613"). Throws MicrocredError INVALID_ELEMENT for an unknown code. */
export function iscedF(code: string): IscedFConcept {
  const concept = typeof code === 'string' ? byCode.get(code.trim()) : undefined;
  if (concept === undefined) {
    throw new MicrocredError('INVALID_ELEMENT', `"${String(code)}" is not an ISCED-F 2013 field code`);
  }
  return concept;
}

/** broad (2 digits), narrow (3) or detailed (4). Throws INVALID_ELEMENT for an unknown code. */
export function iscedFLevel(code: string): IscedFLevel {
  const { notation } = iscedF(code);
  return notation.length === 2 ? 'broad' : notation.length === 3 ? 'narrow' : 'detailed';
}

/**
 * The next broader field: detailed "0613" → narrow "061", narrow "061" → broad "06", broad → undefined.
 * Throws INVALID_ELEMENT for an unknown code.
 */
export function iscedFBroader(code: string): IscedFConcept | undefined {
  const { notation } = iscedF(code);
  if (notation.length === 2) return undefined;
  return iscedF(notation.slice(0, notation.length - 1));
}
