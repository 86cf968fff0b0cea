import type { ConceptValue } from '../../read/json';
import { ANNEX_I_ELEMENTS, type AnnexElementKey } from '../../read/annex';
import { emptyView, type LabelledValue, type MicroCredentialView } from '../../read/view';
import { isRecord } from '../../shared/json';

/**
 * The `vct` (verifiable credential type) of an EU micro-credential issued as an SD-JWT VC by this library. Its type
 * metadata (display names, descriptions, rendering hints) is {@link EU_MICROCREDENTIAL_TYPE_METADATA}.
 */
export const EU_MICROCREDENTIAL_VCT = 'https://w3id.org/microcredentials/vct/eu-microcredential/v1';

/**
 * Top-level claims of the claim set, each with the Annex I element it carries (or none). Every one of them is
 * selectively disclosable; `learner` is disclosable as a whole and again per member (`name`, `id`) and per
 * identifier, so a holder can show their name without their e-mail hash.
 */
export const SD_JWT_CLAIMS: readonly { claim: string; element?: AnnexElementKey }[] = [
  { claim: 'learner', element: 'learner' },
  { claim: 'title', element: 'title' },
  { claim: 'description', element: 'title' },
  { claim: 'issuer_country', element: 'country' },
  { claim: 'awarding_body', element: 'awardingBody' },
  { claim: 'date_of_issuing', element: 'dateOfIssuing' },
  { claim: 'learning_outcomes', element: 'learningOutcomes' },
  { claim: 'workload', element: 'workload' },
  { claim: 'level', element: 'level' },
  { claim: 'assessment', element: 'assessment' },
  { claim: 'participation', element: 'participation' },
  { claim: 'quality_assurance', element: 'qualityAssurance' },
  { claim: 'prerequisites', element: 'prerequisites' },
  { claim: 'target_groups', element: 'prerequisites' },
  { claim: 'supervision', element: 'supervision' },
  { claim: 'grade', element: 'grade' },
  { claim: 'stackability', element: 'stackability' },
  { claim: 'further_information', element: 'furtherInformation' },
  { claim: 'achievement' },
  { claim: 'credential_id' },
];

/** A vocabulary concept as a claim: its IRI and its English label. */
export interface ConceptClaim {
  id?: string;
  label?: string;
}

/** The disclosure frame of @sd-jwt/core: which members are disclosable (`_sd`) and how many decoys to add. */
export interface DisclosureFrame {
  /** Member names of an object, or element indexes of an array. */
  _sd?: (string | number)[];
  _sd_decoy?: number;
  [member: string]: unknown;
}

const concept = (c: ConceptValue | { id?: string; label?: string } | undefined): ConceptClaim | undefined => {
  if (!c) return undefined;
  const out: ConceptClaim = {};
  if (typeof c.id === 'string') out.id = c.id;
  if (typeof c.label === 'string') out.label = c.label;
  return Object.keys(out).length ? out : undefined;
};
const concepts = (list: readonly (ConceptValue | { id?: string; label?: string })[]): ConceptClaim[] =>
  list.map(concept).filter((c): c is ConceptClaim => c !== undefined);
/** Drops undefined members and empty arrays/objects, so that a claim is absent rather than empty. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isRecord(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? (out as Partial<T>) : undefined;
}

/**
 * The SD-JWT VC claims of a micro-credential, generated from its typed EU view (the same view the OB text and the
 * ELM export come from), and the disclosure frame that makes every Annex I element, the grade and every learner
 * identifier selectively disclosable. `decoys` adds that many decoy digests at the top level and in the learner's
 * identifiers, so that a verifier cannot count what was withheld.
 */
export function sdJwtVcClaims(
  view: MicroCredentialView,
  options: { decoys?: number } = {},
): { claims: Record<string, unknown>; frame: DisclosureFrame } {
  const decoys = options.decoys ?? 2;
  const learner = compact({
    id: view.learner.id,
    name: view.learner.name,
    identifiers: view.learner.identifiers.map((i) => ({
      type: i.identityType,
      hashed: i.hashed,
      hash: i.identityHash,
    })),
  });
  const claims: Record<string, unknown> = {};
  const put = (claim: string, value: unknown) => {
    if (value !== undefined) claims[claim] = value;
  };
  put('learner', learner);
  put('title', view.title);
  put('description', view.description);
  put(
    'issuer_country',
    view.issuerCountries.length
      ? view.issuerCountries.map((c) =>
          compact({ code: c.code, label: c.country?.label, id: c.country?.id, region: c.region }),
        )
      : undefined,
  );
  put(
    'awarding_body',
    view.awardingBodies.length ? view.awardingBodies.map((b) => compact({ id: b.id, name: b.name })) : undefined,
  );
  put('date_of_issuing', view.dateOfIssuing);
  put(
    'learning_outcomes',
    view.learningOutcomes.length
      ? view.learningOutcomes.map((o) =>
          compact({ text: o.text, esco_skills: o.escoSkills, related_skills: o.relatedSkills }),
        )
      : undefined,
  );
  put(
    'workload',
    compact({
      ects: view.workload.ects,
      hours: view.workload.hours,
      ects_earned: view.workload.ectsEarned,
      volume_of_learning: view.workload.volumeOfLearning,
    }),
  );
  put('level', compact({ eqf: view.level.eqf, qf_ehea_cycle: concept(view.level.qfEheaCycle), nqf: view.level.nqf }));
  put(
    'assessment',
    view.assessment.length
      ? view.assessment.map((a) =>
          compact({ type: concept(a.type), name: a.name, description: a.description, mode: concepts(a.mode) }),
        )
      : undefined,
  );
  const p = view.participation;
  put(
    'participation',
    compact({
      modes: concepts(p.modes),
      activity_types: concepts(p.activityTypes),
      schedule: concept(p.schedule),
      setting: concept(p.setting),
      description: p.description,
    }),
  );
  put(
    'quality_assurance',
    view.qualityAssurance.length
      ? view.qualityAssurance.map((q) =>
          compact({
            type: concept(q.type),
            name: q.name,
            description: q.description,
            accrediting_agent: q.accreditingAgent,
            url: q.url,
          }),
        )
      : undefined,
  );
  put('prerequisites', view.prerequisites);
  put('target_groups', view.targetGroups.length ? concepts(view.targetGroups) : undefined);
  put(
    'supervision',
    view.supervision
      ? compact({
          id: view.supervision.id,
          label: view.supervision.label,
          annex_option: view.supervision.annexOption,
          identity_verified: view.supervision.identityVerified,
        })
      : undefined,
  );
  put(
    'grade',
    view.grade
      ? compact({
          value: view.grade.value,
          status: view.grade.status,
          scheme: view.grade.scheme,
          allowed_values: view.grade.allowedValues,
          required_value: view.grade.requiredValue,
        })
      : undefined,
  );
  put(
    'stackability',
    compact({
      option: concept(view.stackability.option),
      is_part_of: view.stackability.isPartOf,
      has_part: view.stackability.hasPart,
      is_partial_qualification: view.stackability.isPartialQualification,
    }),
  );
  put('further_information', view.furtherInformation.length ? view.furtherInformation : undefined);
  put(
    'achievement',
    compact({
      type: view.achievementType,
      language: view.language,
      field_of_study: view.fieldOfStudy,
      thematic_areas: concepts(view.thematicAreas),
    }),
  );
  put('credential_id', view.credentialId);

  const frame: DisclosureFrame = { _sd: Object.keys(claims), ...(decoys > 0 ? { _sd_decoy: decoys } : {}) };
  if (learner) {
    const learnerFrame: DisclosureFrame = {
      _sd: Object.keys(learner).filter((k) => k !== 'identifiers') as (string | number)[],
    };
    if (Array.isArray(learner.identifiers)) {
      learnerFrame._sd!.push('identifiers');
      learnerFrame.identifiers = {
        _sd: learner.identifiers.map((_, i) => i),
        ...(decoys > 0 ? { _sd_decoy: decoys } : {}),
      };
    }
    frame.learner = learnerFrame;
  }
  return { claims, frame };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
function toConcept(v: unknown): ConceptValue | undefined {
  const id = isRecord(v) ? str(v.id) : undefined;
  if (id === undefined) return undefined;
  const label = str((v as Record<string, unknown>).label);
  return { id, ...(label !== undefined ? { label } : {}) };
}
function toLabelled(v: unknown): LabelledValue | undefined {
  if (!isRecord(v)) return undefined;
  const id = str(v.id);
  const label = str(v.label);
  if (id === undefined && label === undefined) return undefined;
  return { ...(id !== undefined ? { id } : {}), ...(label !== undefined ? { label } : {}) };
}
const toConcepts = (v: unknown): ConceptValue[] =>
  list(v)
    .map(toConcept)
    .filter((c): c is ConceptValue => c !== undefined);

/**
 * The EU view of the claims a holder disclosed: what {@link sdJwtVcClaims} wrote, read back. An element whose
 * claims were withheld reads as not present (`elements[n].present: false`); `where` names the claim it came from.
 */
export function viewFromSdJwtClaims(claims: Record<string, unknown>): MicroCredentialView {
  const view = emptyView('ob3');
  view.euExtension = true;
  const has = (claim: string) => claims[claim] !== undefined;
  const learner = rec(claims.learner);
  view.learner = {
    ...(str(learner.id) !== undefined ? { id: str(learner.id)! } : {}),
    ...(str(learner.name) !== undefined ? { name: str(learner.name)! } : {}),
    identifiers: list(learner.identifiers)
      .filter(isRecord)
      .map((i) => ({
        identityType: str(i.type) ?? '',
        hashed: bool(i.hashed) ?? false,
        identityHash: str(i.hash) ?? '',
      })),
  };
  if (str(claims.title) !== undefined) view.title = str(claims.title)!;
  if (str(claims.description) !== undefined) view.description = str(claims.description)!;
  view.issuerCountries = list(claims.issuer_country)
    .filter(isRecord)
    .map((c) => {
      const country = toConcept(c);
      return {
        ...(str(c.code) ? { code: str(c.code)! } : {}),
        ...(country ? { country } : {}),
        ...(str(c.region) ? { region: str(c.region)! } : {}),
      };
    });
  view.awardingBodies = list(claims.awarding_body)
    .filter(isRecord)
    .map((b) => ({ ...(str(b.id) ? { id: str(b.id)! } : {}), ...(str(b.name) ? { name: str(b.name)! } : {}) }));
  if (str(claims.date_of_issuing)) view.dateOfIssuing = str(claims.date_of_issuing)!;
  view.learningOutcomes = list(claims.learning_outcomes)
    .filter(isRecord)
    .map((o) => ({
      text: str(o.text) ?? '',
      escoSkills: strings(o.esco_skills),
      relatedSkills: strings(o.related_skills),
    }));
  const w = rec(claims.workload);
  view.workload = {
    ...(num(w.ects) !== undefined ? { ects: num(w.ects)! } : {}),
    ...(num(w.hours) !== undefined ? { hours: num(w.hours)! } : {}),
    ...(num(w.ects_earned) !== undefined ? { ectsEarned: num(w.ects_earned)! } : {}),
    ...(str(w.volume_of_learning) ? { volumeOfLearning: str(w.volume_of_learning)! } : {}),
  };
  const l = rec(claims.level);
  const cycle = toConcept(l.qf_ehea_cycle);
  view.level = {
    nqf: strings(l.nqf),
    ...(num(l.eqf) !== undefined ? { eqf: num(l.eqf)! } : {}),
    ...(cycle ? { qfEheaCycle: cycle } : {}),
  };
  view.assessment = list(claims.assessment)
    .filter(isRecord)
    .map((a) => {
      const type = toLabelled(a.type);
      return {
        ...(type ? { type } : {}),
        ...(str(a.name) ? { name: str(a.name)! } : {}),
        ...(str(a.description) ? { description: str(a.description)! } : {}),
        mode: toConcepts(a.mode),
      };
    });
  const p = rec(claims.participation);
  const schedule = toConcept(p.schedule);
  const setting = toConcept(p.setting);
  view.participation = {
    modes: list(p.modes)
      .map(toLabelled)
      .filter((c): c is LabelledValue => c !== undefined),
    activityTypes: toConcepts(p.activity_types),
    ...(schedule ? { schedule } : {}),
    ...(setting ? { setting } : {}),
    ...(str(p.description) ? { description: str(p.description)! } : {}),
  };
  view.qualityAssurance = list(claims.quality_assurance)
    .filter(isRecord)
    .map((q) => {
      const type = toConcept(q.type);
      return {
        ...(type ? { type } : {}),
        ...(str(q.name) ? { name: str(q.name)! } : {}),
        ...(str(q.description) ? { description: str(q.description)! } : {}),
        ...(str(q.accrediting_agent) ? { accreditingAgent: str(q.accrediting_agent)! } : {}),
        ...(str(q.url) ? { url: str(q.url)! } : {}),
      };
    });
  if (str(claims.prerequisites)) view.prerequisites = str(claims.prerequisites)!;
  view.targetGroups = toConcepts(claims.target_groups);
  if (isRecord(claims.supervision)) {
    const s = claims.supervision;
    view.supervision = {
      ...(str(s.id) ? { id: str(s.id)! } : {}),
      ...(str(s.label) ? { label: str(s.label)! } : {}),
      ...(str(s.annex_option) ? { annexOption: str(s.annex_option) as never } : {}),
      ...(bool(s.identity_verified) !== undefined ? { identityVerified: bool(s.identity_verified)! } : {}),
    };
  }
  if (isRecord(claims.grade)) {
    const g = claims.grade;
    view.grade = {
      ...(str(g.value) ? { value: str(g.value)! } : {}),
      ...(str(g.status) ? { status: str(g.status)! } : {}),
      ...(str(g.scheme) ? { scheme: str(g.scheme)! } : {}),
      ...(Array.isArray(g.allowed_values) ? { allowedValues: strings(g.allowed_values) } : {}),
      ...(str(g.required_value) ? { requiredValue: str(g.required_value)! } : {}),
    };
  }
  const st = rec(claims.stackability);
  const option = toLabelled(st.option);
  view.stackability = {
    isPartOf: strings(st.is_part_of),
    hasPart: strings(st.has_part),
    ...(option ? { option } : {}),
    ...(bool(st.is_partial_qualification) !== undefined
      ? { isPartialQualification: bool(st.is_partial_qualification)! }
      : {}),
  };
  view.furtherInformation = strings(claims.further_information);
  const a = rec(claims.achievement);
  if (str(a.type)) view.achievementType = str(a.type)!;
  if (str(a.language)) view.language = str(a.language)!;
  if (str(a.field_of_study)) view.fieldOfStudy = str(a.field_of_study)!;
  view.thematicAreas = toConcepts(a.thematic_areas);
  if (str(claims.credential_id)) view.credentialId = str(claims.credential_id)!;
  const iss = str(claims.iss);
  // The issuer's name is what it says of itself: the awarding body it lists under its own identifier, if disclosed.
  const self = iss ? view.awardingBodies.find((b) => b.id === iss)?.name : undefined;
  if (iss) view.issuer = { id: iss, ...(self ? { name: self } : {}) };
  // A NumericDate past what a Date holds (exp 1e300, "never") has no date-time to show: left out, not thrown on.
  const seconds = (v: unknown) => {
    const date = num(v) !== undefined ? new Date(num(v)! * 1000) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : undefined;
  };
  if (seconds(claims.nbf)) view.validFrom = seconds(claims.nbf)!;
  if (seconds(claims.exp)) view.validUntil = seconds(claims.exp)!;

  view.elements = ANNEX_I_ELEMENTS.map((e) => {
    const from = SD_JWT_CLAIMS.filter((c) => c.element === e.key && has(c.claim)).map((c) => `$.${c.claim}`);
    return {
      n: e.n,
      key: e.key,
      label: e.label,
      mandatory: e.mandatory,
      present: from.length > 0,
      ...(from.length ? { where: from } : {}),
    };
  });
  view.missingMandatory = view.elements.filter((e) => e.mandatory && !e.present).map((e) => e.key);
  return view;
}
