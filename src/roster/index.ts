import { awardWith, type SharedAwardParts } from '../builders/award';
import { cloneData } from '../builders/clone';
import type { AwardOptions } from '../builders/inputs';
import type { MicroCredentialDefinition } from '../builders/micro-credential';
import { MicrocredError } from '../errors';
import { issueWith, type IssueFormat, type IssueOptions, type SignedCredential } from '../issue';
import type { Cryptosuite } from '../proof/data-integrity';
import type { EUMicroCredentialAchievement, MicroCredentialCredential } from '../model/eu';
import type { Profile } from '../model/ob';
import { SplitCanonicalizer } from './split-canonicalizer';

/** Options of `createRosterIssuer`: the issuer profile every credential carries, and `issue`'s options. */
export interface RosterIssuerOptions extends IssueOptions {
  /** The awarding body (see `award`); copied and frozen when the roster is made. */
  issuer: Profile;
}

/** What differs from one learner of a roster to the next: `award`'s options without the issuer. */
export type RosterAward = Omit<AwardOptions, 'issuer'>;

/** Awards and signs one micro-credential to many learners; see `createRosterIssuer`. */
export interface RosterIssuer<F extends IssueFormat = IssueFormat> {
  /** `award(definition, { ...learner, issuer })`: the same credential, sharing the roster's frozen achievement and issuer. */
  award(learner: RosterAward): MicroCredentialCredential;
  /** `issue(award(definition, { ...learner, issuer }), options)`: the same checks and the same bytes. */
  issue(learner: RosterAward): Promise<RosterIssued<F>>;
}

/** What a roster's `issue` gives for a format: a signed credential for a Data Integrity suite, a JWT string otherwise. */
export type RosterIssued<F extends IssueFormat> = F extends Cryptosuite
  ? SignedCredential<MicroCredentialCredential>
  : string;

/**
 * Issues one micro-credential to a roster of learners. Each credential is byte for byte what `award` then `issue`
 * with the same options give (given the same random credential ids and salts, or the caller's), with the work that
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
  options: RosterIssuerOptions & { format?: F },
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
  const awardOne = (learner: RosterAward): MicroCredentialCredential =>
    awardWith(definition, { ...learner, issuer: shared?.issuer ?? issuer }, shared);
  const split =
    shared !== undefined && (issueOptions.format ?? 'eddsa-rdfc-2022') === 'eddsa-rdfc-2022'
      ? new SplitCanonicalizer(
          shared.issuer as unknown as Record<string, unknown>,
          shared.achievement as unknown as Record<string, unknown>,
        )
      : undefined;
  return {
    award: awardOne,
    issue: async (learner) => (await issueWith(awardOne(learner), issueOptions, split?.canonize)) as RosterIssued<F>,
  };
}

function sharedParts(achievement: EUMicroCredentialAchievement, issuer: Profile): SharedAwardParts {
  return {
    achievement: deepFreeze(cloneData(achievement)) as EUMicroCredentialAchievement,
    issuer: deepFreeze(cloneData(issuer)) as Profile,
  };
}

/** Freezes a plain data value and everything in it (iterative: it may be deep). */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    pending.push(...Object.values(item));
  }
  return value;
}
