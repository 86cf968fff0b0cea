/**
 * ELM v3 European Digital Credential → the typed EU view and a definition that re-issues it as an Open Badges 3.0
 * micro-credential. The view is `readMicroCredential`'s (one reader for ELM); the definition is made from the view
 * plus the ELM details it does not keep (accreditation dates, the grading scale, the fee, the issuer's address).
 */
import { award } from '../builders/award';
import type {
  AwardOptions,
  GradingInput,
  IssuerInput,
  LearnerInput,
  MicroCredentialInput,
  QualityAssuranceInput,
} from '../builders/inputs';
import { defineIssuer, isIdentifierType } from '../builders/issuer';
import { buildDefinition, type MicroCredentialDefinition } from '../builders/micro-credential';
import { ProblemCollector } from '../builders/problems';
import { isMicrocredError, MicrocredError, type Problem } from '../errors';
import type { IdentityObject, Profile } from '../model/ob';
import type { MicroCredentialCredential } from '../model/eu';
import {
  AssessmentType,
  countryByIri,
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
  type AnyVocabulary,
} from '../model/vocab';
import { gradingScaleFromElm } from '../read/grading-scale';
import { concept, concepts, first, num, obj, objects, str, strings, type Json } from '../read/json';
import { readMicroCredential } from '../read/read';
import { indexNodes, resolve, type NodeIndex } from '../read/elm-nodes';
import type { MicroCredentialView } from '../read/view';
import { EDC_AP_CONTEXT, languageTag, ownDescription, VC_CONTEXT_V1_URL } from './elm-json';
import { gradingInputOf } from './grading-scale';
import { UNSTATED_AGENT } from './to-europass';

/** What `fromEuropass` gives back. */
export interface EuropassImport {
  /** The Annex I elements, as `readMicroCredential` reads them (`format: 'elm'`). */
  view: MicroCredentialView;
  /** The micro-credential as `defineMicroCredential` takes it. */
  input: MicroCredentialInput;
  /** Programme links of the micro-credential (`elm:isPartOf` / `elm:hasPart`), which a definition takes from its programme. */
  links: { isPartOf: string[]; hasPart: string[] };
  /** The awarding body that issues the re-issued credential, made by `defineIssuer`; undefined when it cannot be. */
  issuer: Profile | undefined;
  /** The built definition, when the document carries everything a definition needs; see `problems` otherwise. */
  definition: MicroCredentialDefinition | undefined;
  /** The award to re-issue (`award(definition, awardOptions)`), when `definition` and `issuer` are there. */
  awardOptions: AwardOptions | undefined;
  /** Why the document cannot be re-issued as is (a mandatory element ELM left out, a concept outside the EU lists…). */
  problems: Problem[];
}

/** Largest ELM document `fromEuropass` takes, in UTF-16 code units of its JSON text (the EC samples are ~110 kB). */
export const MAX_EUROPASS_DOCUMENT_CHARS = 4 * 1024 * 1024;

/**
 * Reads a European Digital Credential (ELM v3 JSON-LD, as the EDC issuer and `toEuropass` write it): the typed EU
 * view, and a definition plus award that re-issue it as an Open Badges 3.0 micro-credential (`reissueFromEuropass`).
 * Throws `MicrocredError` `INVALID_INPUT` for what is not an ELM credential (not an object, no `EuropeanDigitalCredential`
 * type or `hasClaim`, too large, not plain JSON); an ELM credential that lacks something a definition needs is not an
 * error: `problems` says what is missing and `definition` is undefined. No signature or seal is checked here.
 */
export function fromEuropass(document: unknown): EuropassImport {
  const doc = checkDocument(document);
  const types = Array.isArray(doc.type) ? doc.type : [doc.type];
  if (!types.includes('EuropeanDigitalCredential') && obj(first(doc.credentialSubject))?.hasClaim === undefined) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'not a European Digital Credential: no EuropeanDigitalCredential type and no hasClaim',
      { path: '$.type' },
    );
  }
  checkContexts(doc);
  const view = readMicroCredential(doc);
  const nodes = indexNodes(doc);
  const subject = obj(first(doc.credentialSubject)) ?? {};
  const claim = obj(first(subject.hasClaim)) ?? {};
  const spec = resolve(obj(first(claim.specifiedBy)), nodes) ?? {};
  const process = resolve(obj(first(claim.awardedBy)), nodes);
  const problems = new ProblemCollector();
  const C = '$.credentialSubject.hasClaim';
  const Q = `${C}.specifiedBy`;

  const bodies = objects(process?.awardingBody).map((b) => resolve(b, nodes)!);
  const bodyProfiles = bodies
    .map((b, i) => profileOf(b, `${C}.awardedBy.awardingBody[${i}]`, problems))
    .filter((p): p is Profile => p !== undefined);
  const issuerNode = typeof doc.issuer === 'string' ? nodes.get(doc.issuer) : resolve(obj(doc.issuer), nodes);
  const issuer = issuerNode ? profileOf(issuerNode, '$.issuer', problems) : bodyProfiles[0];

  const input = definitionInput(view, spec, nodes, bodyProfiles, problems, Q);
  const links = {
    isPartOf: concepts(spec.isPartOf).map((c) => c.id),
    hasPart: concepts(spec.hasPart).map((c) => c.id),
  };
  const definition = buildDefinition(input, problems, { kind: 'micro-credential', ...links });
  const result: EuropassImport = {
    view,
    input,
    links,
    issuer,
    definition: undefined,
    awardOptions: undefined,
    problems: [],
  };
  result.problems = [...problems.problems];
  if (result.problems.length || !definition) return result;
  result.definition = deepFreezeDefinition(definition);
  if (issuer) result.awardOptions = awardOptionsOf(doc, view, claim, nodes, issuer, definition.grading !== undefined);
  return result;
}

/**
 * Re-issues an imported European Digital Credential as an unsigned Open Badges 3.0 micro-credential: `award` with the
 * import's definition and award options. Sign it with `issue` (the EDC's eIDAS seal does not carry over: the new
 * credential is the re-issuing body's statement). Throws `MicrocredError` when the import has problems.
 */
export function reissueFromEuropass(
  imported: EuropassImport,
  overrides: Partial<AwardOptions> = {},
): MicroCredentialCredential {
  if (!imported.definition || !imported.awardOptions) {
    throw MicrocredError.fromProblems(
      imported.problems.length
        ? imported.problems
        : [
            {
              code: 'MISSING_ELEMENT',
              path: '$.issuer',
              message: 'the document names no awarding body that can issue',
            },
          ],
      'The European Digital Credential cannot be re-issued',
    );
  }
  return award(imported.definition, { ...imported.awardOptions, ...overrides });
}

function checkDocument(document: unknown): Json {
  let doc = document;
  if (typeof doc === 'string') {
    if (doc.length > MAX_EUROPASS_DOCUMENT_CHARS)
      throw new MicrocredError(
        'INVALID_INPUT',
        `the document is larger than ${MAX_EUROPASS_DOCUMENT_CHARS} characters`,
        { path: '$' },
      );
    try {
      doc = JSON.parse(doc);
    } catch (e) {
      throw new MicrocredError('INVALID_INPUT', `the document is not JSON: ${(e as Error).message}`, {
        path: '$',
        cause: e,
      });
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new MicrocredError('INVALID_INPUT', 'fromEuropass expects an ELM credential object or its JSON text', {
      path: '$',
    });
  // Plain JSON only: the size budget is measured on the JSON text, which also refuses cycles and non-JSON values.
  let text: string;
  try {
    text = JSON.stringify(doc);
  } catch (e) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'the document is not plain JSON (it has a cycle or a value JSON cannot hold)',
      { path: '$', cause: e },
    );
  }
  if (text.length > MAX_EUROPASS_DOCUMENT_CHARS)
    throw new MicrocredError('INVALID_INPUT', `the document is larger than ${MAX_EUROPASS_DOCUMENT_CHARS} characters`, {
      path: '$',
    });
  const parsed = JSON.parse(text) as Json;
  // The EDC's upload form wraps the credential: { "credential": { … } }.
  const keys = Object.keys(parsed);
  const wrapped = keys.length === 1 && keys[0] === 'credential' ? obj(parsed.credential) : undefined;
  return wrapped ?? parsed;
}

/** The contexts an ELM credential may name: the keys are read with the meaning these give them, so no other is taken. */
const ELM_CONTEXTS: readonly string[] = [VC_CONTEXT_V1_URL, 'https://www.w3.org/ns/credentials/v2', EDC_AP_CONTEXT];

function checkContexts(doc: Json): void {
  const contexts = doc['@context'];
  const entries = Array.isArray(contexts) ? contexts : [contexts];
  if (contexts === undefined || !entries.includes(EDC_AP_CONTEXT)) {
    throw new MicrocredError('UNKNOWN_CONTEXT', `an ELM credential names the EDC context ${EDC_AP_CONTEXT}`, {
      path: '$["@context"]',
    });
  }
  entries.forEach((c, i) => {
    if (typeof c !== 'string' || !ELM_CONTEXTS.includes(c)) {
      throw new MicrocredError(
        'UNKNOWN_CONTEXT',
        `context ${typeof c === 'string' ? c : 'given inline'} is not one an ELM credential uses, so its keys cannot be read with ELM's meaning`,
        { path: `$["@context"][${i}]` },
      );
    }
  });
}

function deepFreezeDefinition(d: MicroCredentialDefinition): MicroCredentialDefinition {
  const freeze = (o: unknown): void => {
    if (typeof o !== 'object' || o === null || Object.isFrozen(o)) return;
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  };
  freeze(d);
  return d;
}

/** An ELM Organisation as an OB Profile (through `defineIssuer`, so it is checked the same way). */
function profileOf(org: Json, path: string, problems: ProblemCollector): Profile | undefined {
  const location = obj(first(org.location));
  const address = obj(first(location?.address));
  const countryIri = concept(address?.countryCode)?.id;
  const country = countryIri ? countryByIri(countryIri)?.notation : undefined;
  const region = str(location?.geographicName) ?? concept(location?.spatialCode)?.label;
  const homepage = str(obj(first(org.homepage))?.contentURL);
  const mailbox = str(obj(first(obj(first(org.contactPoint))?.emailAddress))?.id);
  const identifiers = objects(org.identifier)
    .filter((i) => str(i.notation))
    .map((i) => {
      const scheme = str(i.schemeName) ?? 'identifier';
      // OB takes its own identifier types or `ext:` ones; any other ELM scheme name becomes an `ext:` type.
      return {
        identifier: str(i.notation)!,
        identifierType: isIdentifierType(scheme)
          ? scheme
          : `ext:${scheme.replace(/[^A-Za-z0-9]+/g, '') || 'Identifier'}`,
      };
    });
  const input: IssuerInput = {
    id: str(org.id) ?? '',
    name: str(org.legalName) ?? str(org.prefLabel) ?? '',
    country: (country ?? '') as IssuerInput['country'],
    ...(region ? { region } : {}),
    ...(homepage ? { url: homepage } : {}),
    ...(mailbox?.startsWith('mailto:') ? { email: mailbox.slice('mailto:'.length) } : {}),
    ...(identifiers.length ? { otherIdentifiers: identifiers } : {}),
  };
  try {
    return defineIssuer(input);
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    for (const p of e.problems.length ? e.problems : [{ code: e.code, path: '$', message: e.message }])
      problems.problems.push({ code: p.code, path: `${path}${p.path.slice(1)}`, message: p.message });
    return undefined;
  }
}

/** A concept of `vocabulary` by IRI, else by its English label (issuers mint local concepts with the EU label). */
function inVocabulary(
  value: { id?: string; label?: string } | undefined,
  vocabulary: AnyVocabulary,
): string | undefined {
  if (!value) return undefined;
  if (value.id && vocabulary.$byId(value.id)) return value.id;
  const label = value.label?.trim().toLowerCase();
  return label ? vocabulary.$concepts.find((c) => c.label.toLowerCase() === label)?.id : undefined;
}

function definitionInput(
  view: MicroCredentialView,
  spec: Json,
  nodes: NodeIndex,
  bodies: Profile[],
  problems: ProblemCollector,
  Q: string,
): MicroCredentialInput {
  const input: Record<string, unknown> = {
    id: str(spec.id) ?? '',
    title: view.title ?? '',
    description: ownDescription(view.description) ?? view.title ?? '',
    awardingBodies: bodies,
  };
  // 6
  const outcomes = objects(spec.learningOutcome);
  input.learningOutcomes = view.learningOutcomes.map((lo, i) => {
    const reuse = inVocabulary(concept(outcomes[i]?.reusabilityLevel), SkillReuseLevel);
    return lo.escoSkills.length || lo.relatedSkills.length || reuse
      ? {
          text: lo.text,
          ...(lo.escoSkills.length ? { escoSkills: lo.escoSkills } : {}),
          ...(lo.relatedSkills.length ? { relatedSkills: lo.relatedSkills } : {}),
          ...(reuse ? { reusabilityLevel: reuse } : {}),
        }
      : lo.text;
  });
  const summary = str(spec.learningOutcomeSummary);
  if (summary) input.learningOutcomeSummary = summary;
  // 7
  const { ects, hours } = view.workload;
  input.workload = {
    ...(ects !== undefined ? { ects } : {}),
    ...(hours !== undefined && Number.isInteger(hours) ? { hours } : {}),
  };
  const maximumDuration = str(spec.maximumDuration);
  if (maximumDuration) input.maximumDuration = maximumDuration;
  // 8
  const cycle = inVocabulary(view.level.qfEheaCycle, QfEheaCycle);
  input.level = {
    ...(view.level.eqf !== undefined ? { eqf: view.level.eqf } : {}),
    ...(cycle ? { qfEheaCycle: cycle } : {}),
    ...(view.level.nqf.length ? { nqf: view.level.nqf } : {}),
  };
  if (view.thematicAreas.length) input.fieldOfStudy = view.thematicAreas.map((c) => inVocabulary(c, IscedF) ?? c.id);
  const opportunity = concepts(spec.dcType)
    .map((c) => inVocabulary(c, LearningOpportunityType))
    .find((c) => c !== undefined);
  if (opportunity) input.learningOpportunityType = opportunity;
  // 9
  input.assessment = view.assessment.map((a, i) => {
    const type = inVocabulary(a.type, AssessmentType);
    if (!type)
      problems.invalid(
        `${Q}.provenBy[${i}].dcType`,
        `assessment type ${JSON.stringify(a.type?.label ?? a.type?.id ?? '')} is not one of the EU assessment types`,
      );
    const mode = a.mode.map((m) => inVocabulary(m, LearningMode)).filter((m): m is string => m !== undefined);
    return {
      type: type ?? a.type?.id,
      ...(a.name ? { name: a.name } : {}),
      ...(a.description ? { description: a.description } : {}),
      ...(mode.length ? { mode } : {}),
    };
  });
  // 10
  const p = view.participation;
  const modes = p.modes.map((m) => inVocabulary(m, LearningMode)).filter((m): m is string => m !== undefined);
  const activityTypes = p.activityTypes
    .map((t) => inVocabulary(t, LearningActivityType))
    .filter((t): t is string => t !== undefined);
  const schedule = inVocabulary(p.schedule, LearningSchedule);
  const setting = inVocabulary(p.setting, LearningSetting);
  input.participation = {
    mode: modes,
    ...(activityTypes.length ? { activityTypes } : {}),
    ...(schedule ? { schedule } : {}),
    ...(setting ? { setting } : {}),
    ...(p.description ? { description: p.description } : {}),
  };
  // 11
  input.qualityAssurance = qualityAssurance(spec, nodes, problems, Q);
  // 12
  if (view.prerequisites) input.prerequisites = view.prerequisites;
  const groups = view.targetGroups.map((g) => inVocabulary(g, TargetGroup)).filter((g): g is string => g !== undefined);
  if (groups.length) input.targetGroups = groups;
  // 13
  const supervision = inVocabulary(view.supervision, SupervisionVerification);
  if (supervision) input.supervision = supervision;
  // 14
  const grading = gradingOf(view, spec, nodes);
  if (grading) input.grading = grading;
  // 15
  const option = inVocabulary(view.stackability.option, Stackability);
  if (option) input.stackability = option;
  // 16
  const notes = strings(spec.additionalNote);
  const fee = notes.find((n) => n.startsWith(FEE_NOTE));
  const others = notes.filter((n) => n !== fee);
  if (fee) input.fee = fee.slice(FEE_NOTE.length);
  if (others.length) input.furtherInformation = others;
  const documents = objects(spec.supplementaryDocument)
    .map((d) => str(d.contentURL))
    .filter((d): d is string => d !== undefined);
  if (documents.length) input.supplementaryDocuments = documents;
  const homepage = str(obj(first(spec.homepage))?.contentURL);
  if (homepage) input.homepage = homepage;
  const language = concepts(spec.language)
    .map((l) => languageTag(l.id))
    .find((l) => l !== undefined);
  if (language) input.language = language;
  return input as unknown as MicroCredentialInput;
}

const FEE_NOTE = 'Fee: ';

function qualityAssurance(
  spec: Json,
  nodes: NodeIndex,
  problems: ProblemCollector,
  Q: string,
): QualityAssuranceInput[] {
  return objects(spec.accreditation).map((raw, i) => {
    const a = resolve(raw, nodes)!;
    const type = inVocabulary(concept(a.dcType), QualityAssuranceType);
    if (!type)
      problems.invalid(
        `${Q}.accreditation[${i}].dcType`,
        'the accreditation type is not one of the EU quality-assurance types',
      );
    const named = resolve(obj(first(a.accreditingAgent)), nodes);
    const agent = str(named?.id)?.includes(UNSTATED_AGENT) ? undefined : named;
    const agentId = str(agent?.id);
    const agentName = str(agent?.legalName) ?? str(agent?.prefLabel);
    const landing =
      str(obj(first(a.landingPage))?.contentURL) ?? (typeof a.landingPage === 'string' ? a.landingPage : undefined);
    const limit = num(concept(a.limitEQFLevel)?.id.split('/').pop());
    return {
      type: (type ?? '') as QualityAssuranceInput['type'],
      ...(str(a.title) ? { name: str(a.title) } : {}),
      ...(str(a.description) ? { description: str(a.description) } : {}),
      ...(agentId && agentName ? { accreditingAgent: { id: agentId, name: agentName } } : {}),
      ...(concept(a.decision) ? { decision: concept(a.decision)!.id } : {}),
      ...(str(a.dateIssued) ? { issued: str(a.dateIssued) } : {}),
      ...(str(a.reviewDate) ? { reviewDate: str(a.reviewDate) } : {}),
      ...(str(a.expiryDate) ? { expiryDate: str(a.expiryDate) } : {}),
      ...(landing ? { url: landing } : {}),
      ...(limit !== undefined ? { limitEqfLevel: limit as QualityAssuranceInput['limitEqfLevel'] } : {}),
    };
  });
}

/** Element 14: the scale the export wrote, else a pass/fail scheme when the grade is a pass (as in the EC sample). */
function gradingOf(view: MicroCredentialView, spec: Json, nodes: NodeIndex): GradingInput | undefined {
  const schemes = objects(spec.provenBy)
    .map((a) => resolve(obj(first(resolve(a, nodes)?.gradingScheme)), nodes))
    .filter((s): s is Json => s !== undefined);
  const scheme = schemes[0];
  const name = str(scheme?.title) ?? view.grade?.scheme;
  const description = str(scheme?.description);
  const scale = schemes.map(gradingScaleFromElm).find((s) => s !== undefined);
  if (scale) return gradingInputOf(scale, name, description);
  const grade = view.grade?.value;
  if (grade && /^pass(ed)?$/i.test(grade))
    return {
      kind: 'pass-fail',
      pass: grade,
      fail: grade.toLowerCase() === grade ? 'fail' : 'Fail',
      ...(name ? { name } : {}),
      ...(description ? { description } : {}),
    };
  return undefined;
}

function awardOptionsOf(
  doc: Json,
  view: MicroCredentialView,
  claim: Json,
  nodes: NodeIndex,
  issuer: Profile,
  graded: boolean,
): AwardOptions {
  const subject = obj(first(doc.credentialSubject)) ?? {};
  const identityObjects: IdentityObject[] = objects(subject.identifier)
    .filter((i) => str(i.schemeId) === IDENTITY_OBJECT_SCHEME && str(i.notation))
    .map((i) => {
      const version = str(i.schemeVersion) ?? '';
      const hashed = version.startsWith('hashed');
      const salt = /salt=([^;\s]*)/.exec(version)?.[1];
      return {
        type: 'IdentityObject',
        identityHash: str(i.notation)!,
        identityType: (str(i.schemeName) ?? 'identifier') as IdentityObject['identityType'],
        hashed,
        ...(hashed && salt ? { salt } : {}),
      };
    });
  const learnerId = str(subject.id);
  const learner: LearnerInput = identityObjects.length
    ? { ...(learnerId ? { id: learnerId } : {}), identityObjects }
    : learnerId
      ? learnerId
      : { name: view.learner.name ?? '' };
  const activity = resolve(obj(first(claim.influencedBy)), nodes);
  const period = resolve(obj(first(activity?.temporal)), nodes);
  const id = str(doc.id);
  return {
    issuer,
    learner,
    // An ungraded micro-credential's assessment says only that it was completed: no grade to record.
    ...(graded && view.grade?.value !== undefined ? { grade: view.grade.value } : {}),
    ...(view.dateOfIssuing ? { awardedOn: view.dateOfIssuing } : {}),
    ...(view.validFrom ? { validFrom: view.validFrom } : {}),
    ...(view.validUntil ? { validUntil: view.validUntil } : {}),
    ...(id && /^[a-z][a-z0-9+.-]*:/i.test(id) ? { id } : {}),
    ...(str(period?.startDate) ? { activityStartDate: str(period?.startDate) } : {}),
    ...(str(period?.endDate) ? { activityEndDate: str(period?.endDate) } : {}),
  };
}

const IDENTITY_OBJECT_SCHEME = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject';
