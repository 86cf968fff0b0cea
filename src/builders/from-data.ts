import { MicrocredError, type Problem } from '../errors';
import type { Profile } from '../model/ob';
import type { AnyVocabulary } from '../model/vocab/concept';
import { AssessmentType } from '../model/vocab/assessment-type';
import { LearningActivityType } from '../model/vocab/learning-activity-type';
import { LearningMode } from '../model/vocab/learning-mode';
import { LearningOpportunityType } from '../model/vocab/learning-opportunity-type';
import { LearningSchedule } from '../model/vocab/learning-schedule';
import { LearningSetting } from '../model/vocab/learning-setting';
import { QualityAssuranceType } from '../model/vocab/quality-assurance-type';
import { SkillReuseLevel } from '../model/vocab/skill-reuse-level';
import { SupervisionVerification } from '../model/vocab/supervision-verification';
import { TargetGroup } from '../model/vocab/target-group';
import type { IssuerInput, MicroCredentialInput } from './inputs';
import { defineIssuer } from './issuer';
import { defineMicroCredential, type MicroCredentialDefinition } from './micro-credential';
import { defineProgramme, type ProgrammeDefinition } from './programme';

/**
 * A micro-credential described as data (a JSON or YAML file), for registrars who do not write code:
 *
 * ```yaml
 * issuer: { id: https://www.ut.ee/en, name: University of Tartu, country: EE }
 * microCredential:            # or `programme:` with `parts: [ … ]`
 *   id: https://www.ut.ee/mc/critical-thinking
 *   title: Critical thinking and argumentation
 *   participation: { mode: blended }          # vocabulary keys or concept IRIs
 *   assessment: [{ type: continuousEvaluation }]
 *   …
 * ```
 * `awardingBodies` defaults to the issuer. Vocabulary values may be written as the key of the constant
 * (`blended`, `institutionalQA`), its English label, or the concept IRI.
 */
export interface DefinitionData {
  issuer: IssuerInput;
  microCredential?: Record<string, unknown>;
  programme?: Record<string, unknown> & { parts?: Record<string, unknown>[] };
}

/** A definition file read by `definitionFromData`: the built definition and the issuer it names. */
export interface LoadedDefinition {
  issuer: Profile;
  definition: MicroCredentialDefinition | ProgrammeDefinition;
}

/** Where concept values sit in a definition, and which vocabulary each one is from. */
const CONCEPT_FIELDS: [path: string[], vocabulary: AnyVocabulary][] = [
  [['assessment', '*', 'type'], AssessmentType],
  [['assessment', '*', 'mode', '*'], LearningMode],
  [['participation', 'mode', '*'], LearningMode],
  [['participation', 'activityTypes', '*'], LearningActivityType],
  [['participation', 'schedule'], LearningSchedule],
  [['participation', 'setting'], LearningSetting],
  [['qualityAssurance', '*', 'type'], QualityAssuranceType],
  [['supervision'], SupervisionVerification],
  [['targetGroups', '*'], TargetGroup],
  [['learningOpportunityType'], LearningOpportunityType],
  [['learningOutcomes', '*', 'reusabilityLevel'], SkillReuseLevel],
];

/** Builds the issuer and the definition from parsed JSON/YAML data, reporting every problem with its path in the file. */
export function definitionFromData(data: unknown): LoadedDefinition {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'A definition file must hold an object with `issuer` and `microCredential` or `programme`',
      { path: '$' },
    );
  }
  const d = data as DefinitionData;
  const problems: Problem[] = [];
  unknownNames.clear();
  let issuer: Profile | undefined;
  try {
    issuer = defineIssuer(d.issuer);
  } catch (e) {
    collect(e, '$.issuer', problems);
  }
  if ((d.microCredential === undefined) === (d.programme === undefined)) {
    problems.push({
      code: 'MISSING_ELEMENT',
      path: '$',
      message: 'give exactly one of `microCredential` or `programme`',
    });
  }
  let definition: MicroCredentialDefinition | ProgrammeDefinition | undefined;
  if (issuer && d.microCredential) {
    try {
      definition = defineMicroCredential(prepare(d.microCredential, issuer, '$.microCredential', problems));
    } catch (e) {
      collect(e, '$.microCredential', problems);
    }
  }
  if (issuer && d.programme) {
    const { parts, ...programme } = d.programme;
    const defs: MicroCredentialDefinition[] = [];
    (Array.isArray(parts) ? parts : []).forEach((part, i) => {
      try {
        defs.push(defineMicroCredential(prepare(part, issuer!, `$.programme.parts[${i}]`, problems)));
      } catch (e) {
        collect(e, `$.programme.parts[${i}]`, problems);
      }
    });
    if (!Array.isArray(parts) || parts.length === 0)
      problems.push({ code: 'MISSING_ELEMENT', path: '$.programme.parts', message: 'a programme needs its parts' });
    if (problems.length === 0) {
      try {
        const input = prepare(programme, issuer, '$.programme', problems);
        definition = defineProgramme({
          ...(input as Omit<MicroCredentialInput, 'workload'>),
          ...(programme.workload ? { workload: input.workload } : {}),
          parts: defs as [MicroCredentialDefinition, ...MicroCredentialDefinition[]],
        });
      } catch (e) {
        collect(e, '$.programme', problems);
      }
    }
  }
  // A value no vocabulary key matched: the builder names the vocabulary and example IRIs; a file author needs the keys.
  for (const p of problems) {
    const hint = unknownNames.get(p.path);
    if (hint)
      p.message = `${JSON.stringify(hint.value)} is not a known ${hint.vocabulary.$title} value; write one of: ${vocabularyKeys(hint.vocabulary).join(', ')} (or a concept IRI)`;
  }
  unknownNames.clear();
  if (problems.length || !issuer || !definition)
    throw MicrocredError.fromProblems(problems, 'The definition file is incomplete or invalid');
  return { issuer, definition };
}

function prepare(
  raw: Record<string, unknown>,
  issuer: Profile,
  base: string,
  problems: Problem[],
): MicroCredentialInput {
  if (typeof raw !== 'object' || raw === null) {
    problems.push({ code: 'INVALID_ELEMENT', path: base, message: 'must be an object' });
    return {} as MicroCredentialInput;
  }
  const copy = structuredClone(raw) as Record<string, unknown>;
  if (copy.awardingBodies === undefined) copy.awardingBodies = [issuer];
  for (const [path, vocabulary] of CONCEPT_FIELDS) resolveAt(copy, path, vocabulary, base, problems);
  // The file's values are not known to fit the typed slots (a vocabulary slot takes only its own IRIs): the builder
  // checks every one at run time and reports each misfit with its path, which the caller maps back to the file's keys.
  return copy as unknown as MicroCredentialInput;
}

/** Replaces vocabulary keys and labels by concept IRIs at a path pattern (`*` = every array item). */
function resolveAt(node: unknown, path: string[], vocabulary: AnyVocabulary, where: string, problems: Problem[]): void {
  if (node === undefined || node === null) return;
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === '*') {
    if (!Array.isArray(node)) {
      resolveAt([node], path, vocabulary, where, problems);
      return;
    }
    node.forEach((_, i) => {
      if (rest.length === 0) {
        node[i] = resolveNameAt(node[i], vocabulary, `${where}[${i}]`);
      } else resolveAt(node[i], rest, vocabulary, `${where}[${i}]`, problems);
    });
    return;
  }
  if (typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (rest.length === 0) {
    if (obj[head] !== undefined) obj[head] = resolveNameAt(obj[head], vocabulary, `${where}.${head}`);
    return;
  }
  if (rest[0] === '*' && rest.length === 1 && obj[head] !== undefined && !Array.isArray(obj[head])) {
    obj[head] = resolveNameAt(obj[head], vocabulary, `${where}.${head}`);
    return;
  }
  resolveAt(obj[head], rest, vocabulary, `${where}.${head}`, problems);
}

/** Paths (in the file) of values that matched no vocabulary key, filled while one definitionFromData call runs. */
const unknownNames = new Map<string, { value: string; vocabulary: AnyVocabulary }>();

function vocabularyKeys(vocabulary: AnyVocabulary): string[] {
  return Object.keys(vocabulary).filter(
    (k) => !k.startsWith('$') && typeof (vocabulary as unknown as Record<string, { id?: unknown }>)[k]?.id === 'string',
  );
}

function resolveNameAt(value: unknown, vocabulary: AnyVocabulary, path: string): unknown {
  const resolved = resolveName(value, vocabulary);
  if (typeof value === 'string' && resolved === value && !value.includes(':'))
    unknownNames.set(path, { value, vocabulary });
  return resolved;
}

function resolveName(value: unknown, vocabulary: AnyVocabulary): unknown {
  if (typeof value !== 'string' || value.includes(':')) return value;
  const wanted = normalize(value);
  const named = vocabulary as unknown as Record<string, { id?: string }>;
  for (const [key, concept] of Object.entries(named)) {
    if (!key.startsWith('$') && normalize(key) === wanted && concept?.id) return concept.id;
  }
  const byLabel = vocabulary.$concepts.find((c) => normalize(c.label) === wanted);
  return byLabel ? byLabel.id : value; // left as is: the builder reports it with the vocabulary's name
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function collect(e: unknown, prefix: string, problems: Problem[]): void {
  if (!(e instanceof MicrocredError)) throw e;
  const list = e.problems.length ? e.problems : [{ code: e.code, path: e.path ?? '$', message: e.message }];
  for (const p of list) problems.push({ ...p, path: p.path === '$' ? prefix : `${prefix}${p.path.slice(1)}` });
}
