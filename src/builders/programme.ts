import { MicrocredError } from '../errors';
import type { EUMicroCredentialAchievement } from '../model/eu';
import type { MicroCredentialInput, NonEmptyArray, WorkloadInput } from './inputs';
import { deepFreeze } from './issuer';
import { buildDefinition, renderForWallets, type MicroCredentialDefinition } from './micro-credential';
import { ProblemCollector } from './problems';

/** What `defineProgramme` takes: a micro-credential's elements plus its parts, whose ECTS must add up to the programme's. */
export interface ProgrammeInput extends Omit<MicroCredentialInput, 'workload'> {
  /** The programme's workload; when left out it is the sum of the parts'. When given, the parts must add up to it. */
  workload?: WorkloadInput;
  /** The micro-credentials the programme is made of, each defined with `defineMicroCredential`. */
  parts: NonEmptyArray<MicroCredentialDefinition>;
}

/** A programme made by `defineProgramme`: a micro-credential definition that also lists its parts (`hasPart`). */
export interface ProgrammeDefinition extends MicroCredentialDefinition {
  readonly kind: 'programme';
  /** The parts, each now recording that it is part of this programme (`isPartOf`). Award these, not the originals. */
  readonly parts: readonly MicroCredentialDefinition[];
  /** The part with this id. */
  part(id: string): MicroCredentialDefinition;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * A micro-credential made of other micro-credentials (Annex I element 15, "integrated, stackable towards another
 * credential"). The parts' ECTS must add up to the programme's; the programme lists its parts (`hasPart`) and each
 * part records the programme (`isPartOf`), so either credential can be traced to the other.
 */
export function defineProgramme(input: ProgrammeInput): ProgrammeDefinition {
  const problems = new ProblemCollector();
  const parts = problems.requireList(input?.parts, '$.parts', 'parts of the programme') as
    | MicroCredentialDefinition[]
    | undefined;
  const validParts: MicroCredentialDefinition[] = [];
  parts?.forEach((part, i) => {
    if (
      typeof part !== 'object' ||
      part === null ||
      typeof part.achievement !== 'object' ||
      typeof part.id !== 'string'
    ) {
      problems.invalid(`$.parts[${i}]`, 'a part must be a definition made by defineMicroCredential or defineProgramme');
      return;
    }
    if (part.id === input.id) problems.invalid(`$.parts[${i}]`, 'a programme cannot be a part of itself');
    if (validParts.some((p) => p.id === part.id)) problems.invalid(`$.parts[${i}]`, `part ${part.id} is listed twice`);
    validParts.push(part);
  });

  const ectsParts = validParts.map((p) => p.ects);
  const ectsSum = ectsParts.every((e): e is number => e !== undefined)
    ? round2(ectsParts.reduce((a, b) => a + b, 0))
    : undefined;
  const hoursParts = validParts.map((p) => p.hours);
  const hoursSum = hoursParts.every((h): h is number => h !== undefined)
    ? hoursParts.reduce((a, b) => a + b, 0)
    : undefined;
  validParts.forEach((p, i) => {
    if (
      p.ects === undefined &&
      (input.workload === undefined || (input.workload as { ects?: number }).ects !== undefined)
    ) {
      problems.missing(
        `$.parts[${i}].workload.ects`,
        `part ${p.id} has no ECTS, so the programme's ECTS cannot be checked`,
      );
    }
  });

  let workload: WorkloadInput | undefined = input?.workload;
  if (workload === undefined) {
    if (ectsSum !== undefined)
      workload = hoursSum !== undefined ? { ects: ectsSum, hours: hoursSum } : { ects: ectsSum };
    else if (hoursSum !== undefined) workload = { hours: hoursSum };
  } else {
    const declared = workload as { ects?: number; hours?: number };
    if (declared.ects !== undefined && ectsSum !== undefined && round2(declared.ects) !== ectsSum) {
      problems.invalid(
        '$.workload.ects',
        `the programme has ${declared.ects} ECTS but its parts add up to ${ectsSum} (${validParts.map((p) => `${p.title}: ${p.ects}`).join(', ')})`,
      );
    }
    if (declared.hours !== undefined && hoursSum !== undefined && declared.hours !== hoursSum) {
      problems.invalid(
        '$.workload.hours',
        `the programme has ${declared.hours} hours but its parts add up to ${hoursSum}`,
      );
    }
  }

  const { parts: _parts, ...rest } = input ?? ({} as ProgrammeInput);
  const programmeInput = { ...rest, workload } as MicroCredentialInput;
  const partTitles = new Map(validParts.map((p) => [p.id, p.title] as const));
  const base = buildDefinition(programmeInput, problems, {
    kind: 'programme',
    hasPart: validParts.map((p) => p.id),
    relatedTitles: partTitles,
  });
  problems.throwIfAny('The programme definition is incomplete or invalid');

  const linkedParts = validParts.map((part) => linkToProgramme(part, base!.id, base!.title));
  const programme: ProgrammeDefinition = {
    ...base!,
    kind: 'programme',
    parts: linkedParts,
    part(id: string) {
      const found = linkedParts.find((p) => p.id === id);
      if (!found) throw new MicrocredError('UNKNOWN_PART', `No part ${id} in programme ${base!.id}`);
      return found;
    },
  };
  return deepFreeze(programme);
}

/** A copy of the part whose achievement also says it is part of the programme. */
function linkToProgramme(
  part: MicroCredentialDefinition,
  programmeId: string,
  programmeTitle: string,
): MicroCredentialDefinition {
  const achievement = structuredClone(part.achievement) as EUMicroCredentialAchievement;
  const partOf = new Set(achievement.isPartOf ?? []);
  partOf.add(programmeId);
  achievement.isPartOf = [...partOf];
  // The wallet-visible text names the programme too.
  renderForWallets(achievement, part.input, new Map([[programmeId, programmeTitle]]));
  return deepFreeze({ ...part, achievement });
}
