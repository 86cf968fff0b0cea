import { MicrocredError, type Problem } from '../errors';
import { award } from '../builders/award';
import type { AwardOptions } from '../builders/inputs';
import type { ProgrammeDefinition } from '../builders/programme';
import { toDateTime, ProblemCollector } from '../builders/problems';
import type { MicroCredentialCredential } from '../model/eu';
import type { VerifyOptions } from '../verify/options';
import { digestMultibaseOf } from './digest';
import { stackRules, type StackCheck } from './rules';
import { readStackMember, type StackPartInput } from './verify-stack';

/** A VC Data Model 2.0 `relatedResource` entry naming one part credential and the digest of its bytes. */
export interface RelatedResource {
  id: string;
  digestMultibase: string;
}

/** A programme credential made by `awardProgramme`: it names each part credential with a digest (`relatedResource`). */
export type ProgrammeCredential = MicroCredentialCredential & { relatedResource: RelatedResource[] };

/** Options of `awardProgramme`: those of `award`, plus the learner's part credentials and how to verify them. */
export interface AwardProgrammeOptions extends AwardOptions {
  /**
   * The learner's part credentials (signed, in any format `verify()` accepts). Each is verified with `verify()`
   * unless the caller vouches for it (`{ credential, verified: true }`, e.g. from the issuer's register).
   */
  parts: readonly StackPartInput[];
  /** Options for verifying the parts (status list fetcher, resolvers, clock). */
  verifyOptions?: VerifyOptions;
}

/**
 * The awarding rule for a programme: issues the programme credential (unsigned; sign it with `issue`) only from the
 * learner's part credentials, each verified and passed, one per part of the programme, all of this learner, with the
 * credits adding up and the programme awarded on or after the last part. Otherwise it refuses with a
 * MicrocredError `PROGRAMME_NOT_EARNED` whose `problems` list every reason (each with its stack code: PART_MISSING,
 * PART_NOT_PASSED, LEARNER_MISMATCH, …). The credential's `relatedResource` names each part credential with the
 * digest of its bytes (see docs/stacks.md), so a verifier can tell the stack was not re-assembled from other parts.
 *
 * For a verifier to link the parts to the programme without being told who the learner is, award every credential
 * of one learner with the same `learner.salt` (or a learner DID as `learner.id`); see docs/stacks.md.
 */
export async function awardProgramme(
  programme: ProgrammeDefinition,
  options: AwardProgrammeOptions,
): Promise<ProgrammeCredential> {
  if (
    typeof programme !== 'object' ||
    programme === null ||
    programme.kind !== 'programme' ||
    !Array.isArray(programme.parts)
  ) {
    throw new MicrocredError('INVALID_INPUT', 'awardProgramme needs a programme made by defineProgramme', {
      path: '$.programme',
    });
  }
  if (typeof options !== 'object' || options === null || !Array.isArray(options.parts)) {
    throw new MicrocredError('INVALID_INPUT', 'awardProgramme needs { issuer, learner, parts: [part credentials] }', {
      path: '$.parts',
    });
  }
  const { parts, verifyOptions, ...awardOptions } = options;
  const dates = new ProblemCollector();
  const awardedAt = toDateTime(awardOptions.awardedOn ?? new Date(), '$.awardedOn', 'award date', dates);
  dates.throwIfAny('Cannot award the programme');

  const read = await Promise.all(parts.map((p, i) => readStackMember(p, `$.parts[${i}]`, verifyOptions ?? {})));
  const issuer = awardOptions.issuer as { id?: unknown } | undefined;
  const checks = stackRules(
    {
      achievement: programme.achievement as unknown as Record<string, unknown>,
      ...(typeof issuer?.id === 'string' ? { issuerId: issuer.id } : {}),
      ...(awardedAt ? { awardedAt } : {}),
      partTitles: new Map(programme.parts.map((p) => [p.id, p.title])),
    },
    read.map((r) => r.member),
    { learner: awardOptions.learner, skipIntegrity: true },
  );
  const problems: Problem[] = failures(checks);
  read.forEach((r, i) => {
    if (r.member.credential && typeof r.member.credential.id !== 'string') {
      problems.push({
        code: 'INVALID_INPUT',
        path: `$.parts[${i}]`,
        message: `${r.member.label} has no id, so the programme cannot name it`,
      });
    }
  });
  if (problems.length) {
    const lines = problems.map((p) => `  ${p.message}`).join('\n');
    throw new MicrocredError(
      'PROGRAMME_NOT_EARNED',
      `The programme "${programme.title}" cannot be awarded (${problems.length} reason${problems.length === 1 ? '' : 's'}):\n${lines}`,
      { problems },
    );
  }

  const credential = award(programme, awardOptions) as ProgrammeCredential;
  // Name the parts in the programme's order, so the same stack always gives the same credential.
  const order = new Map(programme.parts.map((p, i) => [p.id, i]));
  const achievementId = (c: Record<string, unknown> | undefined) =>
    (c?.credentialSubject as { achievement?: { id?: string } } | undefined)?.achievement?.id ?? '';
  credential.relatedResource = read
    .map((r) => r.member)
    .sort((a, b) => (order.get(achievementId(a.credential)) ?? 0) - (order.get(achievementId(b.credential)) ?? 0))
    .map((m) => ({ id: m.credential!.id as string, digestMultibase: digestMultibaseOf(m.digestBytes!) }));
  return credential;
}

function failures(checks: readonly StackCheck[]): Problem[] {
  return checks
    .filter((c) => c.status === 'fail')
    .map((c) => ({ code: c.code ?? 'INVALID_INPUT', path: c.path ?? '$.parts', message: c.message }));
}
