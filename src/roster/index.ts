import { awardWith, type SharedAwardParts } from '../builders/award';
import { cloneData } from '../builders/clone';
import { deepFreeze } from '../shared/frozen';
import type { AwardOptions } from '../builders/inputs';
import type { MicroCredentialDefinition } from '../builders/micro-credential';
import { MicrocredError } from '../errors';
import { issueWith, type IssueFormat, type IssueOptions, type SharedIssueWork, type SignedCredential } from '../issue';
import { CleanSubtrees } from '../jsonld/compacted-form';
import { SharedNodes } from '../read/merge-nodes';
import type { Cryptosuite } from '../proof/data-integrity';
import type { EUMicroCredentialAchievement, MicroCredentialCredential } from '../model/eu';
import type { Profile } from '../model/ob';
import { SplitCanonicalizer } from './split-canonicalizer';
import { SplitValidator } from './split-schema';

/** Awards and signs one micro-credential to many learners; see `createRosterIssuer`. */
export interface RosterIssuer<F extends IssueFormat = IssueFormat> {
  /**
   * `award(definition, { ...learner, issuer })`: the same credential, sharing the roster's frozen achievement and
   * issuer. `learner` is `award`'s options without the issuer.
   */
  award(learner: Omit<AwardOptions, 'issuer'>): MicroCredentialCredential;
  /** `issue(award(definition, { ...learner, issuer }), options)`: the same checks and the same bytes. */
  issue(
    learner: Omit<AwardOptions, 'issuer'>,
  ): Promise<F extends Cryptosuite ? SignedCredential<MicroCredentialCredential> : string>;
}

/**
 * Issues one micro-credential to a roster of learners: `options` are `issue`'s, plus the issuer profile every
 * credential carries. Each credential is byte for byte what `award` then `issue` with the same options give (given the same random credential ids and salts, or the caller's), with the work that
 * is the same for every learner done once: the definition's achievement and the issuer profile are copied and frozen
 * when the roster is made, shared by every credential instead of copied for each, and, for `eddsa-rdfc-2022`, their
 * part of the RDF dataset is built once and joined to each learner's part before RDFC-1.0 (which cannot be shared:
 * canonical labels depend on the whole graph). Every check `issue` makes is made on every credential.
 *
 * The achievement and issuer are those of the definition and options when the roster is made; later changes to
 * those objects are not seen. The credentials `award` returns share frozen objects: copy one before changing it.
 */
export function createRosterIssuer<F extends IssueFormat = 'eddsa-rdfc-2022'>(
  definition: MicroCredentialDefinition,
  options: IssueOptions & { issuer: Profile; format?: F },
): RosterIssuer<F> {
  if (typeof options !== 'object' || options === null)
    throw new MicrocredError('INVALID_INPUT', 'createRosterIssuer needs { issuer, key }');
  const { issuer, ...issueOptions } = options;
  // Whatever `award` would refuse (a bad definition or issuer) it refuses at each call, with its own problems.
  const shared =
    typeof definition === 'object' &&
    definition !== null &&
    typeof definition.achievement === 'object' &&
    definition.achievement !== null &&
    typeof issuer === 'object' &&
    issuer !== null
      ? sharedParts(definition.achievement, issuer)
      : undefined;
  const awardOne = (learner: Omit<AwardOptions, 'issuer'>): MicroCredentialCredential =>
    awardWith(definition, { ...learner, issuer: shared?.issuer ?? issuer }, shared);
  const split =
    shared !== undefined && (issueOptions.format ?? 'eddsa-rdfc-2022') === 'eddsa-rdfc-2022'
      ? new SplitCanonicalizer(
          shared.issuer as unknown as Record<string, unknown>,
          shared.achievement as unknown as Record<string, unknown>,
        )
      : undefined;
  const work: SharedIssueWork = {
    ...(split ? { canonize: split.canonize } : {}),
    ...(shared
      ? {
          cleanSubtrees: new CleanSubtrees([shared.achievement, shared.issuer]),
          sharedNodes: new SharedNodes([shared.achievement, shared.issuer]),
          validate: new SplitValidator(shared.achievement as unknown as Record<string, unknown>).validate,
        }
      : {}),
  };
  return {
    award: awardOne,
    issue: async (learner) =>
      (await issueWith(awardOne(learner), issueOptions, work)) as Awaited<ReturnType<RosterIssuer<F>['issue']>>,
  };
}

function sharedParts(achievement: EUMicroCredentialAchievement, issuer: Profile): SharedAwardParts {
  return {
    achievement: deepFreeze(cloneData(achievement)) as EUMicroCredentialAchievement,
    issuer: deepFreeze(cloneData(issuer)) as Profile,
  };
}
