import { isPlainObject } from '../jsonld/fast/to-dataset';
import { validate, type ValidationResult } from '../schema/validate';

/**
 * `validate` for the credentials of one roster, giving its verdict with the roster's frozen achievement validated
 * once rather than in every credential.
 *
 * Why the verdict is the same. In both schemas (schemas/*.schema.json) the way from the root to
 * `$.credentialSubject.achievement` goes through `properties`, `required`, `type` and `allOf` only — no `anyOf`,
 * `oneOf`, `not` or `unevaluated*` above it, no `$dynamicRef` — and the one conditional, the EU schema's `if`, reads
 * only the achievement's `type` (test/roster-schema.test.ts holds the schemas to this). So a credential is valid iff
 * (a) every assertion made at or under the achievement holds of it, where which assertions are made depends on the
 * achievement's `type` alone, and (b) every other assertion holds, none of which reads the achievement beyond its
 * being an object with that `type`. (a) is known once a whole credential holding this very (frozen) achievement was
 * valid; (b) holds when the skeleton — the credential with a stand-in achievement of the same `type` — is valid,
 * whatever else the stand-in holds. Which schema applies (`hasEuAchievementType`) also reads only that `type`.
 *
 * Anything else — a skeleton that is not valid, another achievement, a credential that is not a plain object — is
 * validated whole, so every refusal keeps its messages and paths. The stand-in is a small achievement both schemas
 * accept; should it be refused where the whole credential is valid, the split is left off for the roster.
 */
export class SplitValidator {
  /** A credential holding the roster's achievement was valid: assertions (a) hold of it. */
  private achievementValid = false;
  /** The stand-in was refused where the whole credential was valid: every credential is validated whole. */
  private standInRefused = false;
  private readonly standIn: Readonly<Record<string, unknown>>;
  /** How many credentials were found valid through their skeleton (for tests). */
  split = 0;

  constructor(private readonly achievement: Readonly<Record<string, unknown>>) {
    this.standIn = standInFor(achievement);
  }

  /** `validate(credential)`'s result. */
  readonly validate = (credential: unknown): ValidationResult => {
    const subject = isPlainObject(credential) ? credential.credentialSubject : undefined;
    if (!isPlainObject(subject) || subject.achievement !== this.achievement) return validate(credential);
    if (!this.achievementValid || this.standInRefused) return this.whole(credential);
    const skeleton = { ...(credential as object), credentialSubject: { ...subject, achievement: this.standIn } };
    const split = validate(skeleton);
    if (split.valid) {
      this.split++;
      return split;
    }
    const whole = this.whole(credential);
    if (whole.valid) this.standInRefused = true;
    return whole;
  };

  private whole(credential: unknown): ValidationResult {
    const result = validate(credential);
    if (result.valid) this.achievementValid = true;
    return result;
  }
}

/**
 * A small achievement both schemas accept, whatever its `type` (the roster achievement's own value is put in): the
 * members OB 3.0's Achievement and the EU achievement require, each as short as it may be.
 */
function standInFor(achievement: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const iri = 'https://stand-in.example/';
  return Object.freeze({
    id: iri,
    type: achievement.type,
    name: 'x',
    description: 'x',
    criteria: {},
    learningOutcome: [{ type: ['LearningOutcome'], name: 'x' }],
    eqfLevel: 'http://data.europa.eu/snb/eqf/1',
    mode: [iri],
    assessment: [{ type: ['LearningAssessmentSpecification'], assessmentType: iri }],
    accreditation: [{ type: ['Accreditation'], accreditationType: iri }],
    awardingBody: [{ id: iri, type: ['Profile'], name: 'x', address: { type: ['Address'], addressCountryCode: 'EE' } }],
    volumeOfLearning: 'PT1H',
  });
}
