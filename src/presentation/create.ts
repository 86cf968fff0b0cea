import { MicrocredError, isMicrocredError, type Problem } from '../errors';
import { checkCompactedForm } from '../jsonld/compacted-form';
import { checkSafeMode } from '../jsonld/fast/index';
import { isKnownContext, offlineDocumentLoader, type DocumentLoader } from '../jsonld/loader';
import type { Ed25519Key } from '../keys/multikey';
import { jwtKeyFromEd25519, type JwtKey } from '../keys/jwt-keys';
import { createProof } from '../proof/data-integrity';
import { signJwtPayload } from '../proof/jwt';
import { asList } from '../shared/json';
import { checkPresentationModel, holderIdOf, type Presentation } from './model';
import { VC_CONTEXT_V2 as VC_V2 } from '../shared/contexts';
import { PRESENTATION_FORMATS, isOneOf } from '../shared/credential';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** What `createPresentation` takes: the credentials (objects or JWT strings) and the holder. */
export interface CreatePresentationInput {
  /**
   * The credentials to present: JSON-LD credentials with their proofs, as issued, and/or JWT-secured ones (a compact
   * JWS string: VC-JWT or vc+jwt), which are carried as EnvelopedVerifiableCredential (`data:application/vc+jwt,…`).
   */
  verifiableCredential: unknown | unknown[];
  /** Who presents: the learner's DID (or a URL). The key that signs the presentation must be the holder's. */
  holder?: string;
  /** Presentation id (a URL, e.g. `urn:uuid:…`). */
  id?: string;
  /** Extra types after VerifiablePresentation. */
  type?: string[];
  /** Extra contexts after the VC 2.0 base context. */
  context?: unknown[];
}

/** Builds an unsigned presentation (VC DM 2.0 §4.13). Checks its shape; throws MicrocredError listing every problem. */
export function createPresentation(input: CreatePresentationInput): Presentation {
  if (typeof input !== 'object' || input === null)
    throw new MicrocredError('INVALID_INPUT', 'createPresentation needs { verifiableCredential, holder }');
  const credentials = asList(input.verifiableCredential).map((c) =>
    typeof c === 'string' && COMPACT_JWS.test(c.trim())
      ? { '@context': VC_V2, type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${c.trim()}` }
      : c,
  );
  const presentation: Presentation = {
    '@context': [VC_V2, ...(input.context ?? [])],
    ...(input.id !== undefined ? { id: input.id } : {}),
    type: ['VerifiablePresentation', ...(input.type ?? [])],
    ...(input.holder !== undefined ? { holder: input.holder } : {}),
    ...(credentials.length ? { verifiableCredential: credentials } : {}),
  };
  const problems = checkPresentationModel(presentation);
  if (problems.length) throw MicrocredError.fromProblems(problems, 'Cannot create the presentation');
  return presentation;
}

/**
 * `eddsa-rdfc-2022` / `eddsa-jcs-2022`: an embedded Data Integrity proof. `vp-jwt`: a JWT with the presentation in a
 * `vp` claim (VC-JWT / OB 3.0 style). `vp+jwt`: VC-JOSE-COSE, the JWS payload is the presentation itself (header
 * `typ: vp+jwt`, `cty: vp`), with `nonce` / `aud` beside it; wrap it as an EnvelopedVerifiablePresentation if needed.
 */
export type PresentationFormat = (typeof PRESENTATION_FORMATS)[number];

/** Options of `signPresentation`: the holder's key, the format, and the verifier's challenge and domain. */
export interface SignPresentationOptions {
  /** The holder's key: Ed25519 for Data Integrity; for a VP-JWT an Ed25519 key or a JwtKey with a `kid`. */
  key: Ed25519Key | JwtKey;
  /** Default `eddsa-rdfc-2022`. `vp-jwt`: a JWT with the presentation in a `vp` claim (VC-JWT / OB 3.0 style). */
  format?: PresentationFormat;
  /** The verifier's challenge (a nonce it gave the wallet): signed in so the presentation cannot be replayed elsewhere. */
  challenge?: string;
  /** Who the presentation is for (the verifier's domain or id): `domain` in the proof, `aud` in a VP-JWT. */
  domain?: string;
  /** Signing time (XML Schema dateTime); default now. Verifiers refuse presentations older than their window. */
  created?: string;
  /** VP-JWT: seconds until `exp` (default 600). */
  expiresInSeconds?: number;
  contexts?: Readonly<Record<string, unknown>>;
  documentLoader?: DocumentLoader;
  /** Sign although the key's controller is not the holder (a verifier will then refuse the holder binding). */
  allowForeignController?: boolean;
}

/**
 * Signs a presentation as its holder: a Data Integrity proof with proofPurpose `authentication` (and the verifier's
 * `challenge` and `domain`), or a VP-JWT (`iss` = holder, `nonce` = challenge, `aud` = domain, `vp` = presentation).
 * The holder is taken from the key's controller when the presentation names none.
 */
export async function signPresentation(
  presentation: Presentation | Record<string, unknown>,
  options: SignPresentationOptions & { format: 'vp-jwt' | 'vp+jwt' },
): Promise<string>;
export async function signPresentation(
  presentation: Presentation | Record<string, unknown>,
  options: SignPresentationOptions,
): Promise<Presentation>;
export async function signPresentation(
  presentation: Presentation | Record<string, unknown>,
  options: SignPresentationOptions,
): Promise<Presentation | string> {
  if (typeof options !== 'object' || options === null || !options.key)
    throw new MicrocredError('INVALID_INPUT', 'signPresentation needs { key }');
  const format = options.format ?? 'eddsa-rdfc-2022';
  if (!isOneOf(PRESENTATION_FORMATS, format))
    throw new MicrocredError('UNSUPPORTED_FORMAT', `Unknown presentation format ${String(format)}`);
  const documentLoader = options.documentLoader ?? offlineDocumentLoader(options.contexts);
  const key = options.key;
  // A JwtKey names its controller only through a DID URL kid (did:key, did:web): that is what a verifier resolves.
  const controller =
    'controller' in key ? key.controller : key.kid?.startsWith('did:') ? key.kid.split('#')[0] : undefined;
  const vp = { ...(presentation as Record<string, unknown>) };
  if (vp.holder === undefined && controller) vp.holder = controller;
  const problems: Problem[] = checkPresentationModel(vp, { jwtCredentials: format === 'vp-jwt' });
  for (const [i, c] of asList(vp['@context']).entries()) {
    if (typeof c === 'string' && !isKnownContext(c, options.contexts))
      problems.push({ code: 'UNKNOWN_CONTEXT', path: `$["@context"][${i}]`, message: `unknown context ${c}` });
  }
  const holder = holderIdOf(vp);
  if (controller !== undefined && holder !== undefined && controller !== holder && !options.allowForeignController) {
    problems.push({
      code: 'INVALID_KEY',
      path: '$.holder',
      message: `the key is controlled by ${controller}, not by the holder ${holder}; a verifier would reject the binding`,
    });
  }
  if (problems.length === 0 && (format === 'eddsa-rdfc-2022' || format === 'eddsa-jcs-2022')) {
    // verifyPresentation refuses a presentation not in the compacted form of its contexts: never sign one.
    const form = await checkCompactedForm(vp, { documentLoader });
    if (form.status === 'not-compacted')
      problems.push({
        code: 'NOT_COMPACTED',
        path: form.problem.path,
        message: `not in the compacted form of its contexts: ${form.problem.message}`,
      });
  }
  if (problems.length) throw MicrocredError.fromProblems(problems, 'Refusing to sign: the presentation is not valid');
  // A VP-JWT listing VC-JWT strings (VC 1.1 style) is not JSON-LD there; anything else is checked in safe mode.
  const jwtStrings = asList(vp.verifiableCredential).some((c) => typeof c === 'string');
  if (format !== 'eddsa-rdfc-2022' && !jwtStrings) {
    try {
      await checkSafeMode(vp, { documentLoader });
    } catch (e) {
      if (isMicrocredError(e)) throw e;
      throw new MicrocredError('INVALID_INPUT', `JSON-LD processing failed: ${(e as Error).message}`, { cause: e });
    }
  }
  if (format === 'vp-jwt' || format === 'vp+jwt') {
    const jwtKey = 'alg' in key ? key : await jwtKeyFromEd25519(key);
    if (!jwtKey.kid)
      throw new MicrocredError('INVALID_KEY', "A VP-JWT needs a key with a kid (the holder's verification method)");
    const created = options.created !== undefined ? Date.parse(options.created) : Date.now();
    if (Number.isNaN(created))
      throw new MicrocredError('INVALID_INPUT', `created is not a date-time: ${JSON.stringify(options.created)}`);
    const iat = Math.floor(created / 1000);
    const { proof: _proof, ...unsigned } = vp;
    const payload: Record<string, unknown> = {
      ...(holder ? { iss: holder } : {}),
      ...(typeof vp.id === 'string' ? { jti: vp.id } : {}),
      ...(options.domain !== undefined ? { aud: options.domain } : {}),
      ...(options.challenge !== undefined ? { nonce: options.challenge } : {}),
      iat,
      nbf: iat,
      exp: iat + (options.expiresInSeconds ?? 600),
    };
    if (format === 'vp+jwt')
      return signJwtPayload({ ...unsigned, ...payload }, { typ: 'vp+jwt', cty: 'vp' }, { key: jwtKey, header: 'kid' });
    return signJwtPayload({ ...payload, vp: unsigned }, { typ: 'JWT' }, { key: jwtKey, header: 'kid' });
  }
  if (!('publicKeyMultibase' in key)) throw new MicrocredError('INVALID_KEY', `${format} needs an Ed25519 key`);
  const signed = await createProof(vp, {
    key,
    cryptosuite: format,
    documentLoader,
    proofPurpose: 'authentication',
    proofShape: 'object',
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
    ...(options.created ? { created: options.created } : {}),
  });
  return signed as Presentation;
}
