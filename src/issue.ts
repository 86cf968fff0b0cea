import { MicrocredError, isMicrocredError, type Problem } from './errors';
import { checkCompactedForm, type CleanSubtrees } from './jsonld/compacted-form';
import { compactedAndSafe } from './jsonld/compacted-and-safe';
import { MAX_CREDENTIAL_INLINE_TERMS, contextLimitProblem } from './jsonld/context-limits';
import { scanDocumentBounds, type DocumentBounds } from './jsonld/document-bounds';
import { checkSafeModeWithin } from './jsonld/fast/index';
import { isKnownContext, offlineDocumentLoader, type DocumentLoader } from './jsonld/loader';
import type { Ed25519Key } from './keys/multikey';
import type { JWK } from 'jose';
import type { JwtKey } from './keys/jwt-keys';
import { issueSdJwtVc } from './proof/sd-jwt/issue';
import { jwtKeyFromEd25519 } from './keys/jwt-keys';
import { createProof, type Canonicalizer, type Cryptosuite, type Proof } from './proof/data-integrity';
import { signJwt } from './proof/jwt';
import { checkConsistency, checkMergedConsistency } from './read/consistency';
import type { SharedNodes } from './read/merge-nodes';
import { checkConformance } from './schema/conformance';
import { validate, type ValidationResult } from './schema/validate';
import { checkDataModel } from './vcdm/check';
import { CREDENTIAL_FORMATS, isOneOf, issuerIdOf } from './shared/credential';
import { onDemand } from './shared/on-demand';

const loadRelatedResourceChecks = onDemand(() => import('./vcdm/related-resource'));

/**
 * How the credential is secured: an embedded Data Integrity proof (`eddsa-rdfc-2022`, `eddsa-jcs-2022`), OB 3.0's
 * VC-JWT (`vc-jwt`, header `typ: JWT`), or a VC-JOSE-COSE enveloped credential (`vc+jwt`: header `typ: vc+jwt`,
 * `cty: vc`, the payload is the credential; carry it in a presentation as an EnvelopedVerifiableCredential), or an
 * IETF SD-JWT VC (`dc+sd-jwt`: the EU elements as selectively disclosable claims, for EUDI wallets; docs/sd-jwt.md).
 */
export type IssueFormat = Cryptosuite | 'vc-jwt' | 'vc+jwt' | 'dc+sd-jwt';

/** Options of `issue`: the signing key, the format (Data Integrity suite or VC-JWT), the proof's creation time, extra contexts and the JWT header. */
export interface IssueOptions {
  /** The issuer's key. Ed25519 for Data Integrity; for VC-JWT an Ed25519 key (EdDSA) or a JwtKey (RS256/ES256/EdDSA). */
  key: Ed25519Key | JwtKey;
  /** Default `eddsa-rdfc-2022`, the suite OB 3.0 certification requires. */
  format?: IssueFormat;
  /** Proof creation time (XML Schema dateTime); default now. */
  created?: string;
  /** Extra contexts by URL (anything else must be bundled). */
  contexts?: Readonly<Record<string, unknown>>;
  documentLoader?: DocumentLoader;
  /** VC-JWT: identify the key by `kid` (default when it has one) or embed the public `jwk`. */
  jwtHeader?: 'kid' | 'jwk';
  /**
   * Sign even though the key's controller is not the issuer. Off by default: verifiers that bind keys to issuers
   * (the reference stack, 1EdTech's validator) would reject the result.
   */
  allowForeignController?: boolean;
  /**
   * `dc+sd-jwt`: the learner's wallet key (public JWK), bound through `cnf` so that presentations need its key binding
   * JWT. An OpenID4VCI credential endpoint passes the `jwk` of the wallet's verified proof of possession here.
   */
  holderKey?: JWK;
  /** `dc+sd-jwt`: decoy digests added at the top level and among the learner's identifiers (default 2). */
  decoys?: number;
}

/** A credential with Data Integrity proofs added by `issue`. */
export type SignedCredential<T> = T & { proof: Proof[] };

/**
 * Signs a credential. Before anything is signed the credential is checked as a strict verifier would: VC Data
 * Model 2.0 rules, the OB 3.0 / EU micro-credential schema (for Open Badges), bundled contexts and JSON-LD safe mode,
 * and that the key belongs to the issuer. Bad input is a MicrocredError listing every problem; nothing is signed.
 */
export async function issue<T extends object>(
  credential: T,
  options: IssueOptions & { format: 'vc-jwt' | 'vc+jwt' | 'dc+sd-jwt' },
): Promise<string>;
export async function issue<T extends object>(
  credential: T,
  options: IssueOptions & { format?: Cryptosuite },
): Promise<SignedCredential<T>>;
export async function issue<T extends object>(
  credential: T,
  options: IssueOptions,
): Promise<SignedCredential<T> | string>;
export async function issue<T extends object>(
  credential: T,
  options: IssueOptions,
): Promise<SignedCredential<T> | string> {
  return issueWith(credential, options);
}

/** What a roster (src/roster) shares across its credentials: each gives the same result as `issue`'s own. */
export interface SharedIssueWork {
  /** The RDFC-1.0 canonicalizer of the proof step, giving the same bytes as the default one. */
  canonize?: Canonicalizer;
  /** The roster's frozen subtrees, whose compacted-form walks are made once per place (the same verdict). */
  cleanSubtrees?: CleanSubtrees;
  /** The roster's frozen subtrees, whose node copies the consistency check reads once (the same result). */
  sharedNodes?: SharedNodes;
  /** `validate` with the roster's frozen achievement validated once (the same result). */
  validate?: (credential: unknown) => ValidationResult;
}

/** `issue` with work shared across a roster's credentials given. Every check is `issue`'s own. */
export async function issueWith<T extends object>(
  credential: T,
  options: IssueOptions,
  shared: SharedIssueWork = {},
): Promise<SignedCredential<T> | string> {
  try {
    return await checkAndSign(credential, options, shared);
  } catch (e) {
    // A caller's object may nest deeper than the stack, or contain itself behind a toJSON that hides the cycle from
    // the size walk: a check that recurses then runs out of stack. That is the caller's input, so a typed refusal.
    if (e instanceof RangeError && /call stack/i.test(e.message))
      throw new MicrocredError(
        'CANONICALIZATION_LIMIT',
        'Refusing to sign: the credential nests too deep to be checked (or contains itself)',
        { path: '$', cause: e },
      );
    throw e;
  }
}

async function checkAndSign<T extends object>(
  credential: T,
  options: IssueOptions,
  shared: SharedIssueWork,
): Promise<SignedCredential<T> | string> {
  const { canonize, cleanSubtrees, sharedNodes, validate: validateShared = validate } = shared;
  if (typeof options !== 'object' || options === null || !options.key)
    throw new MicrocredError('INVALID_INPUT', 'issue needs { key }');
  const format = options.format ?? 'eddsa-rdfc-2022';
  if (!isOneOf(CREDENTIAL_FORMATS, format))
    throw new MicrocredError('UNSUPPORTED_FORMAT', `Unknown format ${String(format)}`);
  const documentLoader = options.documentLoader ?? offlineDocumentLoader(options.contexts);
  const vc = credential as Record<string, unknown>;

  // relatedResource's digests need SHA-3 and SHA-384/512 code: loaded only for a credential that lists resources.
  const problems: Problem[] = [
    ...checkDataModel(vc),
    ...('relatedResource' in vc ? (await loadRelatedResourceChecks()).checkRelatedResource(vc) : []),
  ];
  if (isOpenBadge(vc) && problems.length === 0) {
    const result = validateShared(vc);
    for (const e of result.errors) problems.push({ code: 'SCHEMA_VIOLATION', path: e.path, message: e.message });
    for (const e of checkConformance(vc).errors)
      problems.push({ code: 'SCHEMA_VIOLATION', path: e.path, message: e.message });
    // Values stated twice or constraining each other must agree; warnings (hours per ECTS) do not stop issuing.
    const consistency = sharedNodes ? checkMergedConsistency(sharedNodes.merge(vc)) : checkConsistency(vc);
    for (const c of consistency)
      if (c.severity === 'error') problems.push({ code: 'INCONSISTENT_VALUES', path: c.path, message: c.message });
  }
  const contexts = Array.isArray(vc['@context']) ? vc['@context'] : [vc['@context']];
  for (const [i, c] of contexts.entries()) {
    if (typeof c === 'string' && !isKnownContext(c, options.contexts))
      problems.push({
        code: 'UNKNOWN_CONTEXT',
        path: `$["@context"][${i}]`,
        message: `unknown context ${c} (bundled contexts only; pass others in options.contexts)`,
      });
  }
  const issuerId = issuerIdOf(vc);
  const controller = 'controller' in options.key ? options.key.controller : undefined;
  if (
    controller !== undefined &&
    issuerId !== undefined &&
    controller !== issuerId &&
    !options.allowForeignController
  ) {
    problems.push({
      code: 'INVALID_KEY',
      path: '$.issuer',
      message: `the key is controlled by ${controller}, not by the issuer ${String(issuerId)}; a verifier would reject the binding`,
    });
  }
  // Never sign a credential that a verifier would refuse as rewritten (or whose contexts it would not process).
  // One walk finds the context limits and the size bound, which the safe-mode check below needs again.
  const bounds = scannedBounds(vc);
  const limit = bounds ? bounds.problem() : contextLimitProblem(vc, { maxInlineTerms: MAX_CREDENTIAL_INLINE_TERMS });
  // A JSON-signed credential needs the safe-mode check too: one walk can show both checks pass.
  const signsJson = format !== 'eddsa-rdfc-2022';
  const compactedAndSafeMode =
    !limit && signsJson && bounds !== undefined && (await compactedAndSafe(vc, documentLoader, bounds));
  if (limit) problems.push({ code: 'CANONICALIZATION_LIMIT', ...limit });
  else if (!compactedAndSafeMode) {
    const form = await checkCompactedForm(vc, { documentLoader, ...(cleanSubtrees ? { cleanSubtrees } : {}) });
    if (form.status === 'not-compacted')
      problems.push({
        code: 'NOT_COMPACTED',
        path: form.problem.path,
        message: `not in the compacted form of its contexts: ${form.problem.message}`,
      });
  }
  if (problems.length) throw MicrocredError.fromProblems(problems, 'Refusing to sign: the credential is not valid');

  if (signsJson && !compactedAndSafeMode) {
    // VC-JWT and eddsa-jcs-2022 sign JSON, so JSON-LD safe mode is checked here (the verifier checks it too);
    // an RDFC proof canonicalizes in safe mode anyway.
    try {
      await checkSafeModeWithin(vc, { documentLoader }, bounds);
    } catch (e) {
      if (isMicrocredError(e)) throw e;
      throw new MicrocredError('INVALID_INPUT', `JSON-LD processing failed: ${(e as Error).message}`, { cause: e });
    }
  }
  if (format === 'dc+sd-jwt') {
    const jwtKey = 'alg' in options.key ? options.key : await jwtKeyFromEd25519(options.key);
    return issueSdJwtVc(vc, {
      key: jwtKey,
      ...(options.jwtHeader ? { jwtHeader: options.jwtHeader } : {}),
      ...(options.holderKey ? { holderKey: options.holderKey } : {}),
      ...(options.decoys !== undefined ? { decoys: options.decoys } : {}),
      ...(options.created ? { issuedAt: new Date(options.created) } : {}),
    });
  }
  if (format === 'vc-jwt' || format === 'vc+jwt') {
    const jwtKey = 'alg' in options.key ? options.key : await jwtKeyFromEd25519(options.key);
    const signOptions = {
      key: jwtKey,
      ...(options.jwtHeader ? { header: options.jwtHeader } : {}),
      ...(format === 'vc+jwt' ? { typ: 'vc+jwt' as const } : {}),
    };
    return signJwt(vc, signOptions);
  }
  if (!('publicKeyMultibase' in options.key)) throw new MicrocredError('INVALID_KEY', `${format} needs an Ed25519 key`);
  return (await createProof(vc, {
    key: options.key,
    cryptosuite: format,
    documentLoader,
    ...(options.created ? { created: options.created } : {}),
    ...(canonize ? { canonize } : {}),
  })) as SignedCredential<T>;
}

/**
 * The bounds of the credential, or undefined when reading it throws (a caller's object with a throwing getter):
 * the checks then read it one by one, and throw, or fall back to jsonld.js, where they did.
 */
function scannedBounds(vc: Record<string, unknown>): DocumentBounds | undefined {
  try {
    return scanDocumentBounds(vc, MAX_CREDENTIAL_INLINE_TERMS);
  } catch {
    return undefined;
  }
}

function isOpenBadge(vc: Record<string, unknown>): boolean {
  const types = Array.isArray(vc.type) ? vc.type : [vc.type];
  return types.includes('OpenBadgeCredential') || types.includes('AchievementCredential');
}
