/**
 * Open Badges micro-credential → ELM v3 European Digital Credential (unsigned), shaped as the Commission's
 * micro-credential sample (`Sample-MC-Annex1`): the learner (`Person`) has a claim (`LearningAchievement`) specified
 * by a `Qualification`, proven by a `LearningAssessment`, influenced by a `LearningActivity`, awarded by an
 * `AwardingProcess`, offered as a `LearningOpportunity` (schedule, price). The Annex I elements come from the typed
 * view `readMicroCredential` gives (the same values the wallet text is rendered from); the details the view does not
 * keep (names of assessments, accreditation dates, skill reuse levels…) from the achievement's own extension terms.
 */
import { award } from '../builders/award';
import type { AwardOptions } from '../builders/inputs';
import type { MicroCredentialDefinition } from '../builders/micro-credential';
import { MicrocredError } from '../errors';
import { countryByAlpha2, countryByIri, CredentialType, CreditSystem } from '../model/vocab';
import { readMicroCredential } from '../read/read';
import type { MicroCredentialView } from '../read/view';
import { gradingScaleOf, GRADING_SCALE_SCHEME } from '../read/grading-scale';
import { concept as readConcept, first, obj, objects, str, strings, type Json } from '../read/json';
import {
  EDC_AP_CONTEXT,
  EDC_GENERIC_FULL_PROFILE,
  elmConcept,
  languageConcept,
  note,
  ownDescription,
  text,
  VC_CONTEXT_V1_URL,
  webResource,
  type ElmNode,
  type ElmValue,
} from './elm-json';

/** Options of `toEuropass`. */
export interface EuropassExportOptions {
  /** Language of the texts (titles, descriptions, notes) as a language-map key. Default `"en"`. */
  textLanguage?: string;
  /**
   * The issuer's eIDAS legal identifier (the one in its qualified seal's certificate), which the EDC profile requires
   * on the issuer. Default: an issuer `otherIdentifier` whose `identifierType` names eIDAS, else the issuer's own id.
   */
  legalIdentifier?: { notation: string; country?: string; schemeName?: string };
  /**
   * The picture the Europass viewer shows for the credential (the profile requires one): base64 PNG or JPEG.
   * Default: the achievement's image when it is a base64 PNG/JPEG `data:` URL, else a blank 1×1 PNG for the sealing
   * EDC issuer to replace with its rendering.
   */
  displayImage?: { contentType: 'PNG' | 'JPEG'; base64: string };
  /** Titles of the micro-credentials that `isPartOf` / `hasPart` name, by IRI (shown in Europass; default: the IRI). */
  relatedTitles?: Readonly<Record<string, string>>;
}

/** A blank 1×1 PNG: the placeholder picture when neither the caller nor the achievement gives one. */
const BLANK_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';
const ECTS = CreditSystem.ects.id;

/**
 * Exports an Open Badges 3.0 micro-credential (made by this library or readable by `readMicroCredential`) as an
 * unsigned ELM v3 `EuropeanDigitalCredential` with the EDC application-profile context: what an EDC issuer seals
 * with its eIDAS seal (sealing is not done here). Every Annex I element the credential carries is written where ELM
 * keeps it (see docs/europass.md). Throws `MicrocredError` `INVALID_INPUT` for input that is not an Open Badges
 * credential, and `MISSING_ELEMENT` when it has no title or no issuer (the profile cannot do without them).
 */
export function toEuropass(credential: unknown, options: EuropassExportOptions = {}): ElmNode {
  const view = readMicroCredential(credential);
  if (view.format !== 'ob3') {
    throw new MicrocredError('INVALID_INPUT', 'toEuropass expects an Open Badges credential; this one is already ELM', {
      path: '$.type',
    });
  }
  const vc = credential as Json;
  const subject = obj(first(vc.credentialSubject));
  const achievement = obj(subject?.achievement) ?? {};
  const issuer = typeof vc.issuer === 'string' ? { id: vc.issuer } : obj(vc.issuer);
  if (!view.title)
    throw new MicrocredError('MISSING_ELEMENT', 'the credential has no title (element 2)', {
      path: '$.credentialSubject.achievement.name',
    });
  if (!issuer || !str(issuer.id))
    throw new MicrocredError('MISSING_ELEMENT', 'the credential has no issuer', { path: '$.issuer' });
  if (!view.dateOfIssuing && !view.validFrom)
    throw new MicrocredError('MISSING_ELEMENT', 'the credential has no date of issuing (element 5)', {
      path: '$.validFrom',
    });
  const exporter = new Exporter(view, vc, achievement, issuer, options);
  return exporter.document();
}

/**
 * Awards a micro-credential and exports the award as an unsigned European Digital Credential: `award` then
 * `toEuropass`, so the Open Badges credential and the EDC say the same thing.
 */
export function awardAsEuropass(
  definition: MicroCredentialDefinition,
  awardOptions: AwardOptions,
  options: EuropassExportOptions = {},
): ElmNode {
  // A programme knows its parts' titles: Europass shows them rather than bare IRIs.
  const parts = (definition as { parts?: readonly { id: string; title: string }[] }).parts ?? [];
  const relatedTitles = { ...Object.fromEntries(parts.map((p) => [p.id, p.title])), ...options.relatedTitles };
  return toEuropass(award(definition, awardOptions), { ...options, relatedTitles });
}

class Exporter {
  private readonly lang: string;
  private readonly base: string;
  private readonly specId: string;
  private readonly orgs = new Map<string, ElmNode>();

  constructor(
    private readonly view: MicroCredentialView,
    private readonly vc: Json,
    private readonly achievement: Json,
    private readonly issuer: Json,
    private readonly options: EuropassExportOptions,
  ) {
    this.lang = options.textLanguage ?? 'en';
    this.base = str(vc.id) ?? `urn:uuid:${globalThis.crypto.randomUUID()}`;
    this.specId = str(achievement.id) ?? `${this.base}#qualification`;
    this.description = ownDescription(view.description);
  }

  /** The issuer's own description: ELM states the facts the Open Badges text appends to it as data. */
  private readonly description: string | undefined;

  private t(value: string): ElmNode {
    return text(value, this.lang);
  }

  document(): ElmNode {
    const { view, vc } = this;
    const issued = view.dateOfIssuing ?? view.validFrom!;
    const doc: ElmNode = {
      '@context': [VC_CONTEXT_V1_URL, EDC_AP_CONTEXT],
      id: this.base,
      type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
      credentialProfiles: elmConcept(CredentialType.generic.id),
      credentialSchema: { id: EDC_GENERIC_FULL_PROFILE, type: 'ShaclValidator2017' },
      displayParameter: this.displayParameter(),
      issuer: this.issuerOrganisation(),
      issued,
      validFrom: view.validFrom ?? issued,
      ...(view.validUntil ? { validUntil: view.validUntil } : {}),
      credentialSubject: this.person(),
    };
    if (str(vc.name) && str(vc.name) !== view.title) doc.displayParameter = this.displayParameter(str(vc.name));
    return doc;
  }

  private displayParameter(title?: string): ElmNode {
    const language = languageConcept(this.lang) ?? languageConcept('en')!;
    const image = this.displayImage();
    return {
      id: `${this.base}#display`,
      type: 'DisplayParameter',
      title: this.t(title ?? this.view.title!),
      ...(this.description ? { description: this.t(this.description) } : {}),
      language,
      primaryLanguage: language,
      individualDisplay: {
        id: `${this.base}#display-${this.lang}`,
        type: 'IndividualDisplay',
        language,
        displayDetail: {
          id: `${this.base}#display-${this.lang}-1`,
          type: 'DisplayDetail',
          page: 1,
          image: {
            id: `${this.base}#display-image`,
            type: 'MediaObject',
            content: image.base64,
            contentEncoding: elmConcept('http://data.europa.eu/snb/encoding/6146cde7dd', 'base64'),
            contentType: elmConcept(
              `http://publications.europa.eu/resource/authority/file-type/${image.contentType}`,
              image.contentType,
              'file-type',
            ),
          },
        },
      },
    };
  }

  private displayImage(): { contentType: 'PNG' | 'JPEG'; base64: string } {
    if (this.options.displayImage) return this.options.displayImage;
    const image = this.achievement.image;
    const url = typeof image === 'string' ? image : str(obj(image)?.id);
    const m = url ? /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(url) : null;
    if (m) return { contentType: m[1] === 'png' ? 'PNG' : 'JPEG', base64: m[2]! };
    return { contentType: 'PNG', base64: BLANK_PNG };
  }

  /** An ELM Organisation for an OB Profile (one node per id, so the document never says two things about one body). */
  private organisation(profile: Json, countryIndex: number | undefined): ElmNode {
    const id = str(profile.id) ?? `${this.base}#organisation-${this.orgs.size + 1}`;
    const existing = this.orgs.get(id);
    if (existing) return existing;
    const address = obj(first(profile.address));
    const alpha2 = str(address?.addressCountryCode);
    // Awarding bodies' countries are element 3 (in the view); any other organisation says only what its own address says.
    const countries = countryIndex === undefined ? [] : this.view.issuerCountries;
    const own = alpha2 ? countryIriOf(alpha2) : undefined;
    // ELM places every organisation in a country; an accrediting agent the credential gives no address for is placed in
    // the awarding body's country (quality-assurance agencies accredit in their own country), without a region.
    const fallback = this.view.issuerCountries[0]?.country;
    const country =
      countries.find((c) => c.code === alpha2?.toUpperCase()) ??
      countries[countryIndex ?? 0] ??
      (own ? { country: { id: own, label: countryByIri(own)?.label } } : fallback ? { country: fallback } : undefined);
    const region = str(address?.addressRegion) ?? (countryIndex === undefined ? undefined : country?.region);
    const countryIri = country?.country?.id;
    const street = [
      str(address?.streetAddress),
      [str(address?.postalCode), str(address?.addressLocality)].filter(Boolean).join(' '),
    ]
      .filter((s) => s)
      .join(', ');
    const org: ElmNode = {
      id,
      type: 'Organisation',
      legalName: this.t(str(profile.name) ?? id),
      location: {
        id: `${id}#location`,
        type: 'Location',
        ...(region ? { geographicName: this.t(region) } : {}),
        ...(countryIri || street
          ? {
              address: {
                id: `${id}#address`,
                type: 'Address',
                ...(countryIri ? { countryCode: elmConcept(countryIri, country?.country?.label, 'country') } : {}),
                ...(street ? { fullAddress: note(`${id}#full-address`, street, this.lang) } : {}),
              },
            }
          : {}),
      },
    };
    const homepage = str(profile.url);
    if (homepage) org.homepage = webResource(`${id}#homepage`, homepage);
    const email = str(profile.email);
    if (email)
      org.contactPoint = {
        id: `${id}#contact`,
        type: 'ContactPoint',
        emailAddress: { id: `mailto:${email}`, type: 'Mailbox' },
      };
    const identifiers = objects(profile.otherIdentifier).filter((i) => str(i.identifier));
    if (identifiers.length) {
      org.identifier = identifiers.map((i, n) => ({
        id: `${id}#identifier-${n + 1}`,
        type: 'Identifier',
        notation: str(i.identifier)!,
        schemeName: str(i.identifierType) ?? 'identifier',
      }));
    }
    this.orgs.set(id, org);
    return org;
  }

  private issuerOrganisation(): ElmNode {
    const org = this.organisation(this.issuer, 0);
    const given = this.options.legalIdentifier;
    const eidas = objects(this.issuer.otherIdentifier).find((i) => /eidas/i.test(str(i.identifierType) ?? ''));
    const countryIri = this.view.issuerCountries[0]?.country?.id;
    const alpha2 = given?.country?.toUpperCase();
    const spatial = (alpha2 ? countryIriOf(alpha2) : undefined) ?? countryIri;
    org.eIDASIdentifier = {
      id: `${str(org.id)}#legal-identifier`,
      type: 'LegalIdentifier',
      notation: given?.notation ?? str(eidas?.identifier) ?? str(org.id)!,
      schemeName:
        given?.schemeName ??
        (given || eidas
          ? 'eIDAS legal identifier'
          : 'Issuer identifier (the sealing EDC issuer replaces it with its eIDAS legal identifier)'),
      ...(spatial ? { spatial: elmConcept(spatial, countryByIri(spatial)?.label, 'country') } : {}),
    };
    return org;
  }

  /** Element 1: the learner, with the claim. */
  private person(): ElmNode {
    const { learner } = this.view;
    const identifiers = objects(obj(first(this.vc.credentialSubject))?.identifier);
    return {
      ...(learner.id ? { id: learner.id } : {}),
      type: 'Person',
      ...(identifiers.length
        ? {
            identifier: identifiers.map((i, n) =>
              identityObjectAsIdentifier(i, `${this.base}#learner-identifier-${n + 1}`),
            ),
          }
        : {}),
      hasClaim: this.claim(),
    };
  }

  private claim(): ElmNode {
    const { view } = this;
    const id = `${this.base}#achievement`;
    const bodies = this.awardingBodies();
    const process: ElmNode = {
      id: `${this.base}#awarding`,
      type: 'AwardingProcess',
      awardingBody: bodies,
      ...(view.dateOfIssuing ? { awardingDate: view.dateOfIssuing } : {}),
    };
    const claim: ElmNode = {
      id,
      type: 'LearningAchievement',
      title: this.t(view.title!),
      ...(this.description ? { description: this.t(this.description) } : {}),
      awardedBy: process,
      specifiedBy: this.qualification(),
    };
    const assessment = this.learningAssessment(process, bodies[0]!);
    if (assessment) claim.provenBy = assessment;
    const activity = this.learningActivity(process, bodies[0]!);
    if (activity) claim.influencedBy = activity;
    if (view.workload.ectsEarned !== undefined) {
      claim.creditReceived = {
        id: `${id}-credit`,
        type: 'CreditPoint',
        framework: elmConcept(ECTS),
        point: String(view.workload.ectsEarned),
      };
    }
    claim.learningOpportunity = this.learningOpportunity(bodies[0]!);
    return claim;
  }

  /** Element 4 (and 3 through the bodies' locations). */
  private awardingBodies(): ElmNode[] {
    const profiles = objects(this.achievement.awardingBody);
    const list = profiles.length ? profiles : [this.issuer];
    return list.map((p, i) => this.organisation(p, i));
  }

  /** The micro-credential itself (ELM keeps EQF level, accreditation and partial-qualification on a Qualification). */
  private qualification(): ElmNode {
    const { view, achievement: a } = this;
    const id = this.specId;
    const q: ElmNode = { id, type: 'Qualification', title: this.t(view.title!) };
    if (this.description) q.description = this.t(this.description);
    // 6 learning outcomes
    const outcomes = objects(a.learningOutcome);
    if (view.learningOutcomes.length) {
      q.learningOutcome = view.learningOutcomes.map((lo, i) => {
        const reuse = readConcept(outcomes[i]?.reusabilityLevel);
        return {
          id: `${id}#learning-outcome-${i + 1}`,
          type: 'LearningOutcome',
          title: this.t(lo.text),
          ...(lo.escoSkills.length ? { relatedESCOSkill: lo.escoSkills.map((s) => elmConcept(s)) } : {}),
          ...(lo.relatedSkills.length ? { relatedSkill: lo.relatedSkills.map((s) => elmConcept(s)) } : {}),
          ...(reuse ? { reusabilityLevel: elmConcept(reuse.id, reuse.label) } : {}),
        };
      });
    }
    const summary = str(a.learningOutcomeSummary);
    if (summary) q.learningOutcomeSummary = note(`${id}#learning-outcome-summary`, summary, this.lang);
    // 7 workload
    if (view.workload.ects !== undefined)
      q.creditPoint = {
        id: `${id}#credit`,
        type: 'CreditPoint',
        framework: elmConcept(ECTS),
        point: String(view.workload.ects),
      };
    if (view.workload.volumeOfLearning) q.volumeOfLearning = view.workload.volumeOfLearning;
    const maximumDuration = str(a.maximumDuration);
    if (maximumDuration) q.maximumDuration = maximumDuration;
    // 8 level
    if (view.level.eqfConcept) q.eqfLevel = elmConcept(view.level.eqfConcept.id, view.level.eqfConcept.label);
    if (view.level.nqf.length) q.nqfLevel = view.level.nqf.map((n) => elmConcept(n));
    if (view.level.qfEheaCycle) q.educationLevel = elmConcept(view.level.qfEheaCycle.id, view.level.qfEheaCycle.label);
    if (view.thematicAreas.length) q.thematicArea = view.thematicAreas.map((c) => elmConcept(c.id, c.label));
    // the kind of learning opportunity, and element 15's option (ELM has no property of its own for it)
    const types: ElmNode[] = [];
    const opportunity = readConcept(a.learningOpportunityType);
    if (opportunity) types.push(elmConcept(opportunity.id, opportunity.label));
    const option = view.stackability.option;
    if (option?.id) types.push(elmConcept(option.id, option.label));
    if (types.length) q.dcType = types.length === 1 ? types[0]! : types;
    // 10 participation: mode and setting of the learning
    const modes = view.participation.modes.filter((m) => m.id);
    if (modes.length) q.mode = modes.map((m) => elmConcept(m.id!, m.label));
    if (view.participation.setting)
      q.learningSetting = elmConcept(view.participation.setting.id, view.participation.setting.label);
    if (view.language) {
      const language = languageConcept(view.language);
      if (language) q.language = language;
    }
    // 9 the planned assessments
    const specs = this.assessmentSpecifications();
    if (specs.length) q.provenBy = specs;
    // 11 quality assurance
    const accreditations = this.accreditations();
    if (accreditations.length) q.accreditation = accreditations;
    // 12 prerequisites, target groups
    if (view.prerequisites) q.entryRequirement = note(`${id}#entry-requirement`, view.prerequisites, this.lang);
    if (view.targetGroups.length) q.targetGroup = view.targetGroups.map((g) => elmConcept(g.id, g.label));
    // 15 stackability
    const related = (iri: string): ElmNode => ({
      id: iri,
      type: 'Qualification',
      title: this.t(this.options.relatedTitles?.[iri] ?? iri),
    });
    if (view.stackability.isPartOf.length) q.isPartOf = view.stackability.isPartOf.map(related);
    if (view.stackability.hasPart.length) q.hasPart = view.stackability.hasPart.map(related);
    if (view.stackability.isPartialQualification !== undefined)
      q.isPartialQualification = view.stackability.isPartialQualification;
    // 16 further information
    const notes = strings(a.additionalNote);
    if (notes.length) q.additionalNote = notes.map((n, i) => note(`${id}#note-${i + 1}`, n, this.lang));
    const documents = strings(a.supplementaryDocument);
    if (documents.length) q.supplementaryDocument = documents.map((d, i) => webResource(`${id}#document-${i + 1}`, d));
    const homepage = str(a.homepage);
    if (homepage) q.homepage = webResource(`${id}#homepage`, homepage);
    return q;
  }

  /** Element 9: one specification per way of assessing; the grading scheme (element 14) on each. */
  private assessmentSpecifications(): ElmNode[] {
    const scheme = this.gradingScheme();
    return this.view.assessment.map((as, i) => ({
      id: `${this.specId}#assessment-${i + 1}`,
      type: 'LearningAssessmentSpecification',
      title: this.t(as.name ?? as.type?.label ?? 'Assessment'),
      ...(as.description ? { description: this.t(as.description) } : {}),
      ...(as.type?.id ? { dcType: elmConcept(as.type.id, as.type.label) } : {}),
      ...(as.mode.length ? { mode: as.mode.map((m) => elmConcept(m.id, m.label)) } : {}),
      ...(scheme ? { gradingScheme: scheme } : {}),
    }));
  }

  private gradingScheme(): ElmNode | undefined {
    const grade = this.view.grade;
    const scale = gradingScaleOf(this.achievement, obj(first(obj(first(this.vc.credentialSubject))?.result)));
    if (!grade && !scale) return undefined;
    const own = obj(this.achievement.gradingScheme);
    const title = grade?.scheme ?? str(own?.name) ?? 'Grading scheme';
    const description = str(own?.description);
    return {
      id: `${this.specId}#grading-scheme`,
      type: 'GradingScheme',
      title: this.t(title),
      ...(description ? { description: this.t(description) } : {}),
      ...(scale
        ? {
            identifier: {
              id: `${this.specId}#grading-scale`,
              type: 'Identifier',
              notation: JSON.stringify(scale),
              schemeName: 'Grading scale',
              schemeId: GRADING_SCALE_SCHEME,
            },
          }
        : {}),
    };
  }

  /** The learner's assessment: the grade (14) and how identity was checked (13). */
  private learningAssessment(process: ElmNode, assessor: ElmNode): ElmNode | undefined {
    const { grade, supervision } = this.view;
    if (!grade && !supervision) return undefined;
    const spec = this.view.assessment.length ? { id: `${this.specId}#assessment-1` } : undefined;
    const value = grade?.value ?? grade?.status ?? 'Completed';
    return {
      id: `${this.base}#assessment`,
      type: 'LearningAssessment',
      title: this.t(grade?.scheme ?? this.view.assessment[0]?.name ?? 'Assessment'),
      grade: note(`${this.base}#grade`, value, this.lang),
      assessedBy: { id: str(assessor.id)! },
      awardedBy: { id: str(process.id)! },
      ...(supervision?.id ? { idVerification: elmConcept(supervision.id, supervision.label) } : {}),
      ...(spec ? { specifiedBy: spec } : {}),
    };
  }

  /** Element 10: the learning activity the learner took part in. */
  private learningActivity(process: ElmNode, director: ElmNode): ElmNode | undefined {
    const p = this.view.participation;
    const subject = obj(first(this.vc.credentialSubject));
    const start = str(subject?.activityStartDate);
    const end = str(subject?.activityEndDate);
    if (!p.activityTypes.length && !p.description && !start && !end) return undefined;
    const activityTitle = `${this.view.title!}: learning activity`;
    return {
      id: `${this.base}#activity`,
      type: 'LearningActivity',
      title: this.t(activityTitle),
      ...(p.description ? { description: this.t(p.description) } : {}),
      directedBy: { id: str(director.id)! },
      awardedBy: { id: str(process.id)! },
      ...(start || end
        ? {
            temporal: {
              id: `${this.base}#activity-period`,
              type: 'PeriodOfTime',
              ...(start ? { startDate: start } : {}),
              ...(end ? { endDate: end } : {}),
            },
          }
        : {}),
      specifiedBy: {
        id: `${this.specId}#activity`,
        type: 'LearningActivitySpecification',
        title: this.t(activityTitle),
        ...(p.activityTypes.length ? { dcType: p.activityTypes.map((c) => elmConcept(c.id, c.label)) } : {}),
      },
    };
  }

  /** Schedule and price live on the learning opportunity in ELM, not on the qualification. */
  private learningOpportunity(provider: ElmNode): ElmNode {
    const p = this.view.participation;
    const fee = strings(this.achievement.additionalNote).find((n) => n.startsWith(FEE_NOTE));
    const lo: ElmNode = {
      id: `${this.specId}#opportunity`,
      type: 'LearningOpportunity',
      title: this.t(this.view.title!),
      providedBy: { id: str(provider.id)! },
      learningAchievementSpecification: { id: this.specId },
    };
    if (p.schedule) lo.learningSchedule = elmConcept(p.schedule.id, p.schedule.label);
    if (fee) {
      lo.priceDetail = {
        id: `${this.specId}#price`,
        type: 'PriceDetail',
        prefLabel: this.t('Fee'),
        description: this.t(fee.slice(FEE_NOTE.length)),
      };
    }
    return lo;
  }

  /** Element 11: the quality assurance, with the accrediting agency as an organisation. */
  private accreditations(): ElmNode[] {
    const encoded = objects(this.achievement.accreditation);
    return this.view.qualityAssurance.map((qa, i) => {
      const own = encoded[i] ?? {};
      const agentProfile = obj(own.accreditingAgent);
      const agent: ElmNode = agentProfile
        ? this.organisation(agentProfile, undefined)
        : this.organisation(
            {
              id: `${this.specId}${UNSTATED_AGENT}${i + 1}`,
              name: qa.accreditingAgent ?? 'Quality assurance body (not named in the credential)',
            },
            undefined,
          );
      const dates: ElmNode = {};
      for (const [from, to] of [
        ['dateIssued', 'dateIssued'],
        ['reviewDate', 'reviewDate'],
        ['expiryDate', 'expiryDate'],
      ] as const) {
        const v = str(own[from]);
        if (v) dates[to] = v;
      }
      const limit = readConcept(own.limitEQFLevel);
      return {
        id: str(own.id) ?? `${this.specId}#accreditation-${i + 1}`,
        type: 'Accreditation',
        title: this.t(qa.name ?? qa.type?.label ?? 'Quality assurance'),
        ...(qa.description ? { description: this.t(qa.description) } : {}),
        dcType: elmConcept(qa.type?.id ?? 'http://data.europa.eu/snb/accreditation/bb4618238e', qa.type?.label),
        accreditingAgent: agent,
        ...(str(own.decision) ? { decision: elmConcept(str(own.decision)!) } : {}),
        ...dates,
        ...(qa.url ? { landingPage: webResource(`${this.specId}#accreditation-${i + 1}-page`, qa.url) } : {}),
        ...(limit ? { limitEQFLevel: elmConcept(limit.id, limit.label) } : {}),
      };
    });
  }
}

/**
 * ELM requires an accrediting agent on every accreditation; one the Open Badge does not name is written with an id
 * ending in this fragment (plus a number), which the import reads as "not named".
 */
export const UNSTATED_AGENT = '#accrediting-agent-unstated-';

/** The further-information note that carries the fee (written by the builders as `Fee: …`). */
const FEE_NOTE = 'Fee: ';

/** The OB IdentityObject scheme IRI, which marks an ELM Identifier as an Open Badges identity (hash, type, salt). */
export const IDENTITY_OBJECT_SCHEME = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject';

/** An OB IdentityObject as an ELM Identifier: the (hashed) value as notation, the identity type as scheme name. */
function identityObjectAsIdentifier(identity: Json, id: string): ElmNode {
  const hashed = identity.hashed === true;
  return {
    id,
    type: 'Identifier',
    notation: str(identity.identityHash) ?? '',
    schemeName: str(identity.identityType) ?? 'identifier',
    schemeId: IDENTITY_OBJECT_SCHEME,
    schemeVersion: hashed ? `hashed; salt=${str(identity.salt) ?? ''}` : 'plain',
  };
}

/** The country authority IRI for an ISO alpha-2 code, or undefined for a code that is not one. */
function countryIriOf(alpha2: string): string | undefined {
  try {
    return countryByAlpha2(alpha2).id;
  } catch {
    return undefined;
  }
}

export type { ElmNode, ElmValue };
