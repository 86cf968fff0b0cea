import type { Problem } from '../errors';
import type { LearnerInput } from '../builders/inputs';
import { encodeLearner } from '../builders/learner';
import { ProblemCollector, isAbsoluteIri, toDateTime } from '../builders/problems';
import { OB_CONTEXT_303, OB_EXTENSIONS_CONTEXT, VC_CONTEXT_V2 } from '../jsonld/loader';
import type { IdentityObject, Profile } from '../model/ob';
import { parseInput, type VerifiableInput } from '../verify/parse';
import type { VerificationReport } from '../verify/report';
import { unbakeForVerify } from '../verify/parse-credential';
import { verify } from '../verify/verify';
import { checkVerifyOptions, withResolutionBudget, type VerifyOptions } from '../verify/options';
import { achievementOf, learnerLinks, type StackCheck } from './rules';
import { asListOrEmpty } from '../shared/json';
import { MAX_STACK_CREDENTIALS, readStackMember, stackReport, type ReadMember, type StackReport } from './verify-stack';

/** The CLR 2.0 context, bundled (contexts/1edtech/), never fetched. */
export const CLR_CONTEXT_V2 = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
/** 1EdTech's JSON Schema for a ClrCredential, named in `credentialSchema` as 1EdTech's examples do. */
export const CLR_CREDENTIAL_SCHEMA =
  'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json';

/** An association between two achievements of the CLR (CLR 2.0 `Association`). */
export interface ClrAssociation {
  type: 'Association';
  associationType:
    | 'isParentOf'
    | 'isChildOf'
    | 'isPartOf'
    | 'exactMatchOf'
    | 'isPeerOf'
    | 'isRelatedTo'
    | 'precedes'
    | 'replacedBy'
    | 'exemplar'
    | 'hasSkillLevel'
    | 'isOrderedSequenceOf'
    | 'isCorrectnessOf';
  sourceId: string;
  targetId: string;
}

/** A CLR 2.0 `ClrCredential`: one signed transcript holding the learner's credentials. */
export interface ClrCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'ClrCredential'];
  name: string;
  description?: string;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  partial?: boolean;
  credentialSubject: {
    type: 'ClrSubject';
    id?: string;
    identifier?: IdentityObject[];
    verifiableCredential: Record<string, unknown>[];
    association?: ClrAssociation[];
  };
  credentialSchema: { id: string; type: '1EdTechJsonSchemaValidator2019' }[];
}

/** Options of `buildClr`: the issuer, the learner and the credentials to include. */
export interface BuildClrOptions {
  /** Who signs the transcript (usually the university that issued the parts). */
  issuer: Profile;
  /** The learner: a DID, or identifiers hashed as in `award()` (give the learner's salt to keep one hash per learner). */
  learner: LearnerInput;
  /**
   * The signed credentials the transcript holds: objects (or JSON text) with an embedded Data Integrity proof.
   * A VC-JWT cannot be nested in a CLR 2.0 (its `verifiableCredential` holds credentials with embedded proofs).
   */
  credentials: readonly (object | string)[];
  id?: string;
  /** Default: "Transcript: " and the programme's name, or "Transcript". */
  name?: string;
  description?: string;
  validFrom?: string | Date;
  /** CLR 2.0 `partial`: the transcript leaves out some of the learner's achievements. */
  partial?: boolean;
}

type Json = Record<string, unknown>;
const asArray = asListOrEmpty;

/**
 * Builds an unsigned CLR 2.0 `ClrCredential` (a transcript) holding the learner's signed credentials, with an
 * `isParentOf` association from each programme (an achievement that lists `hasPart`) to each of its parts present.
 * Sign it with `issue()`; verify it with `verifyClr()`. Every problem is reported at once.
 */
export function buildClr(options: BuildClrOptions): ClrCredential {
  const problems = new ProblemCollector();
  if (typeof options !== 'object' || options === null) {
    problems.missing('$', 'buildClr options { issuer, learner, credentials } are required');
    problems.throwIfAny('Cannot build the CLR');
  }
  const issuer = options.issuer as Profile | undefined;
  if (typeof issuer !== 'object' || issuer === null || typeof issuer.id !== 'string' || !isAbsoluteIri(issuer.id))
    problems.invalid('$.issuer', 'the issuer must be a profile with an absolute id (use defineIssuer)');
  const learner = encodeLearner(options.learner, '$.learner', problems);
  const nested: Json[] = [];
  const list = problems.requireList(options.credentials, '$.credentials', 'credentials of the transcript') as
    | unknown[]
    | undefined;
  list?.forEach((c, i) => {
    const path = `$.credentials[${i}]`;
    let credential: unknown = c;
    if (typeof c === 'string') {
      const text = c.trim();
      if (!text.startsWith('{')) {
        problems.invalid(
          path,
          'a CLR 2.0 nests credentials with an embedded proof; a VC-JWT cannot be nested (issue that credential with eddsa-rdfc-2022)',
        );
        return;
      }
      try {
        credential = JSON.parse(text);
      } catch {
        problems.invalid(path, 'not valid JSON');
        return;
      }
    }
    const vc = credential as Json;
    if (typeof vc !== 'object' || vc === null || Array.isArray(vc) || vc.proof === undefined) {
      problems.invalid(path, 'each credential must be a signed credential object with an embedded proof');
      return;
    }
    nested.push(structuredClone(vc));
  });
  const validFrom = toDateTime(options.validFrom ?? new Date(), '$.validFrom', 'validFrom', problems);
  const id = options.id ?? `urn:uuid:${globalThis.crypto.randomUUID()}`;
  if (typeof id !== 'string' || !isAbsoluteIri(id)) problems.invalid('$.id', 'the CLR id must be an absolute URI');
  problems.throwIfAny('Cannot build the CLR');

  const association: ClrAssociation[] = [];
  const achievements = nested.map((c) => achievementOf(c)).filter((a): a is Json => a !== undefined);
  const present = new Set(achievements.map((a) => a.id));
  let programmeName: string | undefined;
  for (const a of achievements) {
    const parts = asArray(a.hasPart).filter((p): p is string => typeof p === 'string' && present.has(p));
    if (asArray(a.hasPart).length && typeof a.name === 'string') programmeName ??= a.name;
    for (const target of parts)
      association.push({
        type: 'Association',
        associationType: 'isParentOf',
        sourceId: String(a.id),
        targetId: target,
      });
  }
  return {
    // The context list of 1EdTech's CLR 2.0 examples; extensions.json defines 1EdTechJsonSchemaValidator2019.
    '@context': [VC_CONTEXT_V2, CLR_CONTEXT_V2, OB_CONTEXT_303, OB_EXTENSIONS_CONTEXT],
    id,
    type: ['VerifiableCredential', 'ClrCredential'],
    name: options.name ?? (programmeName ? `Transcript: ${programmeName}` : 'Transcript'),
    ...(options.description ? { description: options.description } : {}),
    issuer: structuredClone(issuer!),
    validFrom: validFrom!,
    ...(options.partial !== undefined ? { partial: options.partial } : {}),
    credentialSubject: {
      type: 'ClrSubject',
      ...(learner.id ? { id: learner.id } : {}),
      ...(learner.identifier ? { identifier: learner.identifier } : {}),
      verifiableCredential: nested,
      ...(association.length ? { association } : {}),
    },
    credentialSchema: [{ id: CLR_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

/** Options of `verifyClr`: every `verify` option, applied to the CLR and each credential inside. */
export interface VerifyClrOptions extends VerifyOptions {
  /** The learner as the verifier knows them; see `verifyStack`. */
  learner?: LearnerInput;
}

/** The report of `verifyClr`: the CLR's own report, each nested credential's, and the stack's when there is one. */
export interface ClrReport {
  /** True when the CLR, every credential inside it and every CLR and stack check pass. */
  verified: boolean;
  /** The ClrCredential's own report (its proof covers the nested credentials too, as data). */
  clr: VerificationReport;
  /** Each nested credential's full report, verified on its own (its own proof, issuer key, dates, status). */
  credentials: VerificationReport[];
  /** CLR checks: shape, one learner, associations. */
  checks: StackCheck[];
  /** When the CLR holds a programme (an achievement listing hasPart): the stack report over the nested credentials. */
  stack?: StackReport;
}

/**
 * Verifies a CLR 2.0 transcript: the ClrCredential itself with `verify()` (schema: 1EdTech's CLR schema is not
 * bundled, so the shape is checked here instead), then every nested credential with its own full `verify()`, that
 * all name the CLR's learner, that each association points at achievements in the CLR, and, when the CLR holds a
 * programme with its parts, the stack checks of `verifyStack`. Never throws for a bad CLR.
 */
export async function verifyClr(input: VerifiableInput, options: VerifyClrOptions = {}): Promise<ClrReport> {
  const { learner, ...ownOptions } = options;
  // One resolution budget for the CLR and every credential in it (as for a presentation): 64 nested credentials must
  // not mean 64 × maxResolvedDocuments hosts a document's author chose.
  checkVerifyOptions(ownOptions);
  const verifyOptions = withResolutionBudget(ownOptions);
  let credential: Json | undefined;
  let source: string | undefined;
  try {
    ({ credential, source } = await parseInput(input, unbakeForVerify));
  } catch {
    // Unreadable (bad JSON, a hostile object whose reads throw, a thing posing as bytes): no CLR to check, and verify's
    // own report says why.
  }
  // verify and the CLR's checks read one reading of a caller's object (parseInput's copy, which verify copies as it
  // is): read twice, a getter could show verify the signed CLR and the checks another.
  const clr = await verify(source === 'object' ? (credential as object) : input, verifyOptions);
  const checks: StackCheck[] = [];
  const subject = credential?.credentialSubject as Json | undefined;
  const shape = clrShapeProblems(credential);
  if (shape.length)
    for (const p of shape)
      checks.push({ check: 'clr', status: 'fail', code: 'INVALID_CLR', message: p.message, path: p.path });
  else
    checks.push({
      check: 'clr',
      status: 'pass',
      message: 'A CLR 2.0 ClrCredential with a ClrSubject and its credentials',
    });

  // Every nested credential is verified on its own, also a single object (not in an array): the compacted-form check
  // reads each in its own contexts relying on this, and a CLR must not hold a credential no one verified.
  let items = asArray(subject?.verifiableCredential);
  if (items.length > MAX_STACK_CREDENTIALS) {
    checks.push({
      check: 'clr',
      status: 'fail',
      code: 'INVALID_CLR',
      message: `The CLR holds ${items.length} credentials; a verifier checks at most ${MAX_STACK_CREDENTIALS}, and checked none of them`,
      path: '$.credentialSubject.verifiableCredential',
    });
    items = [];
  }
  const read: ReadMember[] = [];
  for (const [i, item] of items.entries())
    read.push(
      await readStackMember(
        item as VerifiableInput,
        `$.credentialSubject.verifiableCredential[${i}]`,
        verifyOptions,
        false,
      ),
    );
  // A CLR nests achievement credentials. A CLR inside would bring credentials that only its own signer vouches for
  // (verify() checks its signature, not theirs): anyone can sign a CLR around a made-up credential.
  read.forEach((r, i) => {
    if (isClrCredential(r.member.credential))
      checks.push({
        check: 'clr',
        status: 'fail',
        code: 'INVALID_CLR',
        message: `A CLR inside the CLR (verifiableCredential[${i}]): the credentials in it are not verified one by one, so it is not accepted; verify it on its own`,
        path: `$.credentialSubject.verifiableCredential[${i}]`,
      });
  });

  if (subject && read.length) {
    const reference =
      typeof subject.id === 'string' || Array.isArray(subject.identifier)
        ? { path: '$.credentialSubject', label: 'The CLR', subject, noun: "the CLR's" }
        : undefined;
    learnerLinks(
      reference,
      read.map((r) => r.member),
      learner,
      (c) => checks.push(c),
    );
  }
  associationChecks(subject, read, checks);

  let stack: StackReport | undefined;
  const programmes = read.filter((r) => asArray(achievementOf(r.member.credential)?.hasPart).length > 0);
  if (programmes.length === 1)
    stack = stackReport(
      programmes[0]!,
      read.filter((r) => r !== programmes[0]),
      learner,
    );
  else if (programmes.length > 1)
    checks.push({
      check: 'clr',
      status: 'warn',
      message: `The CLR holds ${programmes.length} programmes; their stacks were not checked (verify each with verifyStack)`,
    });

  const verified =
    clr.verified &&
    read.every((r) => r.report.verified) &&
    !checks.some((c) => c.status === 'fail') &&
    (stack?.verified ?? true);
  return { verified, clr, credentials: read.map((r) => r.report), checks, ...(stack ? { stack } : {}) };
}

/** What makes a ClrCredential one, where 1EdTech's schema (not bundled) would say so. */
function clrShapeProblems(credential: Json | undefined): Problem[] {
  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push({ code: 'INVALID_CLR', path, message });
  if (!credential) {
    bad('$', 'The CLR could not be read');
    return problems;
  }
  const types = asArray(credential.type);
  if (!types.includes('ClrCredential')) bad('$.type', 'Not a CLR: its type does not include ClrCredential');
  if (
    !asArray(credential['@context']).some(
      (c) => typeof c === 'string' && c.startsWith('https://purl.imsglobal.org/spec/clr/v2p0/context'),
    )
  )
    bad('$["@context"]', 'Not a CLR 2.0: no CLR 2.0 context');
  const subject = credential.credentialSubject as Json | undefined;
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
    bad('$.credentialSubject', 'The CLR has no credentialSubject (a ClrSubject)');
    return problems;
  }
  if (!asArray(subject.type).includes('ClrSubject'))
    bad('$.credentialSubject.type', 'The CLR subject is not a ClrSubject');
  const vcs = subject.verifiableCredential;
  if (!Array.isArray(vcs) || vcs.length === 0)
    bad('$.credentialSubject.verifiableCredential', 'The CLR holds no credentials');
  else
    vcs.forEach((v, i) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        bad(
          `$.credentialSubject.verifiableCredential[${i}]`,
          'A nested credential must be a credential object with an embedded proof',
        );
    });
  return problems;
}

function associationChecks(subject: Json | undefined, read: readonly ReadMember[], checks: StackCheck[]): void {
  const associations = asArray(subject?.association);
  if (associations.length === 0) return;
  const ids = new Set<unknown>([
    ...read.map((r) => achievementOf(r.member.credential)?.id),
    ...asArray(subject?.achievement).map((a) => (a as Json | null)?.id),
  ]);
  let bad = 0;
  associations.forEach((a, i) => {
    const assoc = a as Json | null;
    const path = `$.credentialSubject.association[${i}]`;
    if (typeof assoc !== 'object' || assoc === null || typeof assoc.associationType !== 'string') {
      bad++;
      checks.push({
        check: 'associations',
        status: 'fail',
        code: 'INVALID_CLR',
        message: 'An association must be an object with an associationType, a sourceId and a targetId',
        path,
      });
      return;
    }
    for (const end of ['sourceId', 'targetId'] as const) {
      if (ids.has(assoc[end])) continue;
      bad++;
      checks.push({
        check: 'associations',
        status: 'fail',
        code: 'INVALID_CLR',
        message: `An association (${assoc.associationType}) points at ${String(assoc[end])}, which is not an achievement in this CLR`,
        path: `${path}.${end}`,
      });
    }
  });
  if (bad === 0)
    checks.push({
      check: 'associations',
      status: 'pass',
      message: `${associations.length} association(s) between achievements in the CLR`,
    });
}

/** Whether a value claims to be a CLR (its type includes ClrCredential); `verifyClr` checks the rest. */
export function isClrCredential(value: unknown): value is ClrCredential {
  return typeof value === 'object' && value !== null && asArray((value as Json).type).includes('ClrCredential');
}
