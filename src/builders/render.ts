/**
 * The plain-language rendering of the Annex I elements that generic Open Badges 3.0 wallets show.
 *
 * Wallets such as the DCC Learner Credential Wallet, 1EdTech's viewer or SURF's backpack know only OB's native
 * fields (name, description, criteria.narrative, alignment, creditsAvailable, result, issuer …); our extension terms
 * are invisible there. So the builders write every element in words into `description` (a one-paragraph summary) and
 * `criteria.narrative` (Markdown, one line per element). Both are generated from the encoded achievement itself (the
 * same typed values the extension terms carry), so the words cannot drift from the data.
 */
import type { EncodedConceptValue, EUMicroCredentialAchievement } from '../model/eu';
import type { Profile } from '../model/ob';
import { lookupConcept } from '../model/vocab';
import { countryByAlpha2 } from '../model/vocab/country';
import { CreditSystem } from '../model/vocab/credit-system';

/** Headings of the narrative's element lines; tests and readers find the elements by them. */
export const NARRATIVE_LABELS = {
  learningOutcomes: 'Learning outcomes',
  assessment: 'Type of assessment',
  awardingBody: 'Awarding body',
  workload: 'Notional workload',
  level: 'Level',
  fieldOfStudy: 'Field of education',
  participation: 'Form of participation',
  qualityAssurance: 'Quality assurance',
  prerequisites: 'Prerequisites',
  supervision: 'Supervision and identity verification',
  grading: 'Grading',
  stackability: 'Integration and stackability',
  furtherInformation: 'Further information',
  fee: 'Fee',
  language: 'Language',
  duration: 'Maximum duration',
} as const;

/** Titles of related micro-credentials (programme and parts), to name them instead of showing their IRIs. */
export type RelatedTitles = ReadonlyMap<string, string>;

/** The label of a concept value (an IRI or a concept object), or the IRI when the library does not know it. */
export function conceptLabel(value: EncodedConceptValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string')
    return (
      value.prefLabel?.en ??
      Object.values(value.prefLabel ?? {})[0] ??
      lookupConcept(value.id)?.concept.label ??
      value.id
    );
  return lookupConcept(value)?.concept.label ?? value;
}

function labels(values: readonly EncodedConceptValue[] | undefined): string[] {
  return (values ?? []).map(conceptLabel);
}

function conceptId(value: EncodedConceptValue | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? value : value.id;
}

/** Escapes what Markdown would otherwise read as formatting at the start of a line or inline. */
function md(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1').replace(/\n+/g, ' ');
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?)]$/.test(t) ? t : `${t}.`;
}

function profileText(p: Profile): string {
  const code = p.address?.addressCountryCode;
  let country: string | undefined;
  if (code) {
    try {
      country = countryByAlpha2(code).label;
    } catch {
      country = code;
    }
  }
  const where = [p.address?.addressRegion, country].filter(Boolean).join(', ');
  return `${p.name ?? p.id}${where ? ` (${where})` : ''}`;
}

function eqfText(a: EUMicroCredentialAchievement): string | undefined {
  const id = conceptId(a.eqfLevel);
  if (!id) return undefined;
  const n = id.split('/').pop();
  const parts = [`EQF level ${n}`];
  if (a.qfEheaCycle)
    parts.push(
      `QF-EHEA ${conceptLabel(a.qfEheaCycle)
        .toLowerCase()
        .replace(/^short cycle/, 'short cycle')}`,
    );
  if (a.nqfLevel?.length) parts.push(`national framework: ${labels(a.nqfLevel).join(', ')}`);
  return parts.join('; ');
}

function workloadText(a: EUMicroCredentialAchievement): string | undefined {
  const ects = a.creditPoint?.find((c) => conceptId(c.framework) === CreditSystem.ects.id)?.point;
  const hours = a.volumeOfLearning ? /^PT(\d+(?:\.\d+)?)H$/.exec(a.volumeOfLearning)?.[1] : undefined;
  if (ects && hours) return `${ects} ECTS credits (about ${hours} hours of study)`;
  if (ects) return `${ects} ECTS credits`;
  if (hours) return `about ${hours} hours of study`;
  return undefined;
}

function gradingText(a: EUMicroCredentialAchievement): string | undefined {
  const rd = a.resultDescription?.[0];
  if (!rd) return undefined;
  const name = rd.name ?? a.gradingScheme?.name ?? 'Grade';
  if (rd.allowedValue?.length) {
    const best = [...rd.allowedValue].reverse();
    return `${name}: ${best.join(', ')}${rd.requiredValue ? `; lowest pass ${rd.requiredValue}` : ''}${a.gradingScheme?.description ? `. ${sentence(a.gradingScheme.description)}` : ''}`;
  }
  if (rd.valueMin !== undefined && rd.valueMax !== undefined)
    return `${name}: ${rd.valueMin}–${rd.valueMax}${rd.requiredValue ? `; pass from ${rd.requiredValue}` : ''}`;
  return name;
}

function related(ids: readonly string[] | undefined, titles: RelatedTitles | undefined): string {
  return (ids ?? []).map((id) => (titles?.get(id) ? `${titles.get(id)} (${id})` : id)).join(', ');
}

function stackabilityText(a: EUMicroCredentialAchievement, titles?: RelatedTitles): string | undefined {
  const parts: string[] = [];
  if (a.stackability) parts.push(conceptLabel(a.stackability));
  if (a.isPartOf?.length) parts.push(`part of ${related(a.isPartOf, titles)}`);
  if (a.hasPart?.length) parts.push(`made of ${related(a.hasPart, titles)}`);
  return parts.length ? parts.join('; ') : undefined;
}

function participationText(a: EUMicroCredentialAchievement): string | undefined {
  const activities = a.learningActivity ?? [];
  const parts = [
    labels(a.mode).join(', '),
    activities
      .flatMap((x) => labels(x.activityType))
      .join(', ')
      .toLowerCase(),
    conceptLabel(a.learningSchedule).toLowerCase(),
    conceptLabel(a.learningSetting).toLowerCase(),
  ].filter(Boolean);
  const described = activities.map((x) => x.description).filter((d): d is string => !!d);
  if (!parts.length && !described.length) return undefined;
  return [parts.join('; '), ...described].filter(Boolean).map(sentence).join(' ');
}

function qaText(a: EUMicroCredentialAchievement): string[] {
  return (a.accreditation ?? []).map((q) => {
    const type = conceptLabel(q.accreditationType);
    const bits = [q.name && q.name !== type ? `${type}: ${q.name}` : type];
    if (q.accreditingAgent?.name) bits.push(`by ${q.accreditingAgent.name}`);
    if (q.landingPage) bits.push(`(${q.landingPage})`);
    return bits.join(' ');
  });
}

/**
 * Markdown for `criteria.narrative`: what the learner had to do (outcomes, assessment) and every other Annex I element
 * the achievement carries, one bold-labelled line each. `intro` is the issuer's own narrative, kept first.
 */
export function renderNarrative(
  a: EUMicroCredentialAchievement,
  options: { intro?: string; relatedTitles?: RelatedTitles; fee?: string } = {},
): string {
  const L = NARRATIVE_LABELS;
  const out: string[] = [];
  if (options.intro) out.push(options.intro, '');
  out.push(`**${L.learningOutcomes}:** whoever earns it has shown that they can`, '');
  for (const lo of a.learningOutcome ?? []) out.push(`- ${md(lo.name)}`);
  out.push('', `**${L.assessment}:**`, '');
  for (const as of a.assessment ?? []) {
    const type = capitalize(conceptLabel(as.assessmentType));
    const name = as.name && as.name.toLowerCase() !== type.toLowerCase() ? `${as.name} (${type.toLowerCase()})` : type;
    const mode = as.mode?.length ? `, ${labels(as.mode).join(', ').toLowerCase()}` : '';
    out.push(`- ${md(name)}${mode}${as.description ? `: ${md(as.description)}` : ''}`);
  }
  out.push('', '**About this micro-credential:**', '');
  const line = (label: string, text: string | undefined) => {
    if (text) out.push(`- **${label}:** ${md(text)}`);
  };
  line(L.awardingBody, (a.awardingBody ?? []).map(profileText).join('; ') || undefined);
  line(L.workload, workloadText(a));
  line(L.level, eqfText(a));
  line(L.fieldOfStudy, a.thematicArea?.length ? labels(a.thematicArea).join(', ') : a.fieldOfStudy);
  line(L.participation, participationText(a));
  for (const qa of qaText(a)) line(L.qualityAssurance, qa);
  const prerequisites = [
    a.entryRequirement,
    a.targetGroup?.length ? `Target group: ${labels(a.targetGroup).join(', ')}` : undefined,
  ].filter(Boolean) as string[];
  line(L.prerequisites, prerequisites.length ? prerequisites.map(sentence).join(' ') : undefined);
  line(L.supervision, a.idVerification ? conceptLabel(a.idVerification) : undefined);
  line(L.grading, gradingText(a));
  line(L.stackability, stackabilityText(a, options.relatedTitles));
  line(L.duration, a.maximumDuration ? humanDuration(a.maximumDuration) : undefined);
  line(L.language, a.inLanguage ? languageName(a.inLanguage) : undefined);
  line(L.fee, options.fee);
  const further = [
    ...(a.additionalNote ?? []).filter((n) => n !== (options.fee ? `Fee: ${options.fee}` : undefined)),
    ...(a.supplementaryDocument ?? []),
    ...(a.homepage ? [a.homepage] : []),
  ];
  line(L.furtherInformation, further.length ? further.map(sentence).join(' ') : undefined);
  return out.join('\n').trimEnd();
}

/**
 * Plain text for `description`: the issuer's description, then one sentence with the key facts (workload, level,
 * participation, assessment, quality assurance) for wallets that show only a description.
 */
export function renderDescription(a: EUMicroCredentialAchievement, description: string): string {
  const facts = [
    workloadText(a),
    eqfText(a),
    a.mode?.length ? `${labels(a.mode).join(', ').toLowerCase()} participation` : undefined,
    a.assessment?.length
      ? `assessed by ${[...new Set(a.assessment.map((x) => conceptLabel(x.assessmentType).toLowerCase()))].join(', ')}`
      : undefined,
    a.accreditation?.length
      ? `quality assured by ${qaText(a)
          .map((q) => q.replace(/ \(https?:[^)]*\)$/, ''))
          .join('; ')}`
      : undefined,
  ].filter(Boolean);
  return facts.length
    ? `${sentence(description)}\n\n${sentence(`EU micro-credential: ${facts.join(' · ')}`)}`
    : description;
}

function humanDuration(iso: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m) return iso;
  const unit = (n: string | undefined, word: string) => (n ? `${n} ${word}${n === '1' ? '' : 's'}` : undefined);
  return (
    [unit(m[1], 'year'), unit(m[2], 'month'), unit(m[3], 'week'), unit(m[4], 'day')].filter(Boolean).join(' ') || iso
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "et" → "Estonian (et)"; the tag alone where the runtime has no language names. */
function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}
