import type { Hono, MiddlewareHandler } from 'hono';
import { base58btc } from 'multiformats/bases/base58';
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { Openid4vciIssuer, Openid4vciVersion, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import { Oauth2AuthorizationServer, type CallbackContext, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { findDuplicateKey, isMicrocredError, MicrocredError, type ErrorCode, type IssueFormat } from '../index';
import {
  issueRow,
  isRosterProblem,
  rosterFromRecords,
  workspaceDefinition,
  type RosterRow,
  type Workspace,
} from '../node/index';
import { errorResponse, isObject, libraryErrorResponse, readJsonBody, RETRY_LATER } from './http';
import { createOffers, nonces, offerForAccessToken, redeemOffer, type CreateOffersInput } from './offers';
import { credentialConfigurations, PROOF_ALGORITHMS, WALLET_FORMATS, type WalletFormat } from './wallet-formats';
import fs from 'node:fs';
import path from 'node:path';

/** OpenID4VCI settings: how long access tokens and nonces last, and the clock (for tests of expiry). */
export interface Oid4vciOptions {
  accessTokenSeconds?: number;
  nonceSeconds?: number;
  now?: () => Date;
}

interface Oid4vciContext {
  workspace: Workspace;
  publicUrl: string;
  requireToken: MiddlewareHandler;
  options?: Oid4vciOptions;
  /** The service's request log: a refused issue is noted there by its code (never its message, which may name a learner). */
  log?: (line: string) => void;
}

const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
/** Learners in one `POST /oid4vci/offers` (a larger roster is sent in parts, or offered with `microcred offer`). */
const MAX_OFFERS_PER_REQUEST = 5000;

/** An OAuth / OpenID4VCI error response: `error` is the protocol's code, `error_description` words for people. */
function oauthError(
  status: 400 | 401 | 500 | 503,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

/**
 * Refusals of an issue that are about the learner (a revoked, suspended or failed award, a programme not earned):
 * the wallet is told them as they are. Any other library error is about this service (a register another server is
 * busy with, a database out of reach, a file in the way), and its words name processes, hosts, files and learner
 * references: the wallet, which anyone holding an offer can play, gets a fixed answer instead.
 */
const LEARNER_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'REVOKED',
  'SUSPENDED',
  'NOT_PASSED',
  'PROGRAMME_NOT_EARNED',
  'UNKNOWN_PART',
]);

/** The public key of a holder's `did:key` (Ed25519) or `did:jwk`, as a JWK; undefined for any other DID (it would need a resolver). */
export function holderJwk(did: string): Jwk | undefined {
  if (did.startsWith('did:jwk:')) {
    try {
      const text = Buffer.from(did.slice('did:jwk:'.length).split('#')[0]!, 'base64url').toString('utf8');
      const jwk = JSON.parse(text) as Jwk;
      // One reading of the key: JSON.parse keeps the last of two `x`, another resolver the first, and the credential
      // bound to this DID would then name another wallet's key there. Members are text (key_ops a list of text), so
      // nothing nested, `__proto__` included, rides into an SD-JWT's cnf.jwk.
      return isObject(jwk) &&
        typeof jwk.kty === 'string' &&
        !('d' in jwk) &&
        findDuplicateKey(text, jwk) === undefined &&
        Object.entries(jwk).every(
          ([name, value]) =>
            name !== '__proto__' &&
            (typeof value === 'string' ||
              (name === 'key_ops' && Array.isArray(value) && value.every((v) => typeof v === 'string'))),
        )
        ? jwk
        : undefined;
    } catch {
      return undefined;
    }
  }
  const m = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/.exec(did.split('#')[0]!);
  if (!m) return undefined;
  try {
    const bytes = base58btc.decode(m[1]!);
    if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) return undefined;
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.subarray(2)).toString('base64url') };
  } catch {
    return undefined;
  }
}

/** The DID a proof JWT binds the credential to: its `kid` (did:key or did:jwk), or a did:jwk made from its `jwk` header. */
function holderDidOf(signer: JwtSigner): string | undefined {
  if (signer.method === 'did') return holderJwk(signer.didUrl) ? signer.didUrl.split('#')[0] : undefined;
  if (signer.method === 'jwk') {
    const { kty, crv, x, y, e, n } = signer.publicJwk;
    const publicOnly = Object.fromEntries(Object.entries({ crv, e, kty, n, x, y }).filter(([, v]) => v !== undefined));
    return `did:jwk:${Buffer.from(JSON.stringify(publicOnly)).toString('base64url')}`;
  }
  return undefined;
}

/** The callbacks the OpenWallet Foundation's library needs on the issuer side: hashing, randomness, JWT verification. */
const callbacks: Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  generateRandom: (n) => new Uint8Array(randomBytes(n)),
  clientAuthentication: () => undefined,
  signJwt: () => {
    throw new MicrocredError('PROOF_GENERATION_ERROR', 'The issuer signs no JWT through this library');
  },
  verifyJwt: async (signer, jwt) => {
    const jwk =
      signer.method === 'jwk' ? signer.publicJwk : signer.method === 'did' ? holderJwk(signer.didUrl) : undefined;
    if (!jwk || !(PROOF_ALGORITHMS as readonly string[]).includes(signer.alg)) return { verified: false };
    try {
      await compactVerify(jwt.compact, await importJWK(jwk as JWK, signer.alg), { algorithms: [...PROOF_ALGORITHMS] });
      return { verified: true, signerJwk: jwk };
    } catch {
      return { verified: false };
    }
  },
};

/**
 * OpenID4VCI 1.0, pre-authorized code flow with transaction code, on the OpenWallet Foundation's
 * `@openid4vc/openid4vci`: issuer and authorization server metadata, token, nonce and credential endpoints, and
 * `POST /oid4vci/offers` (bearer token) for a registrar's roster. Formats come from {@link WALLET_FORMATS}.
 */
export function addOid4vciRoutes(app: Hono, ctx: Oid4vciContext): void {
  const { workspace, publicUrl } = ctx;
  const now = ctx.options?.now ?? (() => new Date());
  const issuer = new Openid4vciIssuer({ callbacks });
  const authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  const tokenEndpoint = `${publicUrl}/oid4vci/token`;
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: publicUrl,
    credential_endpoint: `${publicUrl}/oid4vci/credential`,
    nonce_endpoint: `${publicUrl}/oid4vci/nonce`,
    credential_configurations_supported: credentialConfigurations() as never,
    display: [{ name: String((workspace.config.issuer as { name?: unknown }).name ?? 'Issuer'), locale: 'en' }],
  });
  const authorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: publicUrl,
    token_endpoint: tokenEndpoint,
    'pre-authorized_grant_anonymous_access_supported': true,
  });
  const issuerMetadata: IssuerMetadataResult = {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };
  const nonce = nonces(workspace);

  app.get('/.well-known/openid-credential-issuer', (c) => c.json(credentialIssuer));
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(authorizationServerMetadata));

  app.post('/oid4vci/offers', ctx.requireToken, async (c) => {
    const parsed = await readJsonBody(c);
    if (parsed instanceof Response) return parsed;
    const body = parsed.value;
    if (
      !isObject(body) ||
      !Array.isArray(body.learners) ||
      body.learners.length === 0 ||
      body.learners.length > MAX_OFFERS_PER_REQUEST
    ) {
      return errorResponse(
        c,
        400,
        'INVALID_INPUT',
        `The body is { "definition": { … }, "learners": [ { "email": "…", "grade": "…" }, … ] } with 1 to ${MAX_OFFERS_PER_REQUEST} learners`,
        { path: '$.learners' },
      );
    }
    try {
      // The definition is checked before any offer is made, so a bad one leaves nothing behind.
      workspaceDefinition(workspace, body.definition);
      const rows = rowsOf(body.learners);
      if (
        body.configurationIds !== undefined &&
        (!Array.isArray(body.configurationIds) ||
          body.configurationIds.length === 0 ||
          body.configurationIds.some((id) => typeof id !== 'string'))
      ) {
        throw new MicrocredError(
          'INVALID_INPUT',
          'configurationIds is a list of credential configuration ids from the issuer metadata',
          { path: '$.configurationIds' },
        );
      }
      const input: CreateOffersInput = {
        definition: body.definition,
        rows,
        ...(typeof body.expiresInSeconds === 'number' ? { expiresInSeconds: body.expiresInSeconds } : {}),
        ...(body.configurationIds !== undefined ? { configurationIds: body.configurationIds as string[] } : {}),
      };
      return c.json({ offers: await createOffers(workspace, publicUrl, input) }, 201);
    } catch (e) {
      return libraryErrorResponse(c, e, ctx.log);
    }
  });

  app.post('/oid4vci/token', async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (type !== 'application/x-www-form-urlencoded')
      return oauthError(400, 'invalid_request', 'Send the token request as a form');
    const params = new URLSearchParams(await c.req.text());
    const names = [...params.keys()];
    // RFC 6749 §3.2: a parameter sent twice is an invalid request (two readers could take different values).
    if (new Set(names).size !== names.length) return oauthError(400, 'invalid_request', 'A parameter is given twice');
    const form = Object.fromEntries(params);
    let parsed: ReturnType<Oauth2AuthorizationServer['parseAccessTokenRequest']>;
    try {
      parsed = authorizationServer.parseAccessTokenRequest({
        request: { headers: c.req.raw.headers, method: 'POST', url: c.req.url },
        accessTokenRequest: form,
      });
    } catch {
      return oauthError(400, 'invalid_request', 'Not a token request');
    }
    if (parsed.grant.grantType !== PRE_AUTHORIZED_GRANT)
      return oauthError(400, 'unsupported_grant_type', 'Only the pre-authorized code grant is offered');
    try {
      const grant = parsed.grant as { preAuthorizedCode: string; txCode?: string };
      const { accessToken, expiresIn } = await redeemOffer(
        workspace,
        grant.preAuthorizedCode,
        grant.txCode,
        now(),
        ctx.options?.accessTokenSeconds,
      );
      return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn }, 200, {
        'Cache-Control': 'no-store',
      });
    } catch (e) {
      if (isMicrocredError(e) && e.code === 'OFFER_REFUSED') return oauthError(400, 'invalid_grant', e.message);
      throw e;
    }
  });

  app.post('/oid4vci/nonce', (c) =>
    c.json(issuer.createNonceResponse({ cNonce: nonce.create(now(), ctx.options?.nonceSeconds) }), 200, {
      'Cache-Control': 'no-store',
    }),
  );

  app.post('/oid4vci/credential', async (c) => {
    const bearer = /^(?:Bearer|DPoP) ([A-Za-z0-9_-]+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const offer = bearer ? await offerForAccessToken(workspace, bearer, now()) : undefined;
    if (!offer) return oauthError(401, 'invalid_token', 'The access token is unknown or expired');
    let request: ReturnType<Openid4vciIssuer['parseCredentialRequest']>;
    try {
      const text = await c.req.text();
      const value = JSON.parse(text) as unknown;
      // One reading of the request: a member named twice could mean one format to the library and another to us.
      if (!isObject(value) || findDuplicateKey(text, value) !== undefined)
        throw new MicrocredError('INVALID_INPUT', 'not one JSON object');
      request = issuer.parseCredentialRequest({ issuerMetadata, credentialRequest: value });
    } catch {
      return oauthError(400, 'invalid_credential_request', 'Not a credential request');
    }
    const configurationId =
      request.credentialConfigurationId ??
      WALLET_FORMATS.find((f) => f.format === request.format?.format)?.configurationId;
    const format = WALLET_FORMATS.find((f) => f.configurationId === configurationId);
    if (!format)
      return oauthError(
        400,
        'unsupported_credential_format',
        'Ask for one of the credential configurations in the issuer metadata',
      );
    if (offer.configurationIds && !offer.configurationIds.includes(format.configurationId))
      return oauthError(400, 'invalid_credential_request', `This offer is for ${offer.configurationIds.join(', ')}`);
    const jwt = request.proofs?.jwt?.[0];
    if (!jwt) return oauthError(400, 'invalid_proof', 'A proof JWT of the wallet key is required');
    let holder: string | undefined;
    try {
      const presentedNonce = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        nonce?: unknown;
      };
      if (typeof presentedNonce.nonce !== 'string' || !nonce.check(presentedNonce.nonce, now()))
        return oauthError(400, 'invalid_nonce', 'Ask the nonce endpoint for a fresh nonce');
      const verified = await issuer.verifyCredentialRequestJwtProof({
        issuerMetadata,
        jwt,
        expectedNonce: presentedNonce.nonce,
        now: now(),
      });
      holder = holderDidOf(verified.signer);
    } catch {
      return oauthError(400, 'invalid_proof', 'The proof JWT does not verify');
    }
    if (!holder) return oauthError(400, 'invalid_proof', 'Bind the proof to a did:key, a did:jwk or a jwk header');
    // The key the wallet proved, read back from its DID (a did:jwk made from a jwk header keeps only public members).
    const holderKey = holderJwk(holder)!;
    const row = offer.row;
    const learner = typeof row.learner === 'string' ? { id: holder } : { ...row.learner, id: holder };
    try {
      const { definition, issuer: profile } = workspaceDefinition(workspace, offer.definition);
      const outDir = path.join(workspace.dir, 'issued');
      fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const result = await issueRow(
        workspace,
        definition,
        { ...row, learner },
        {
          format: format.issueFormat,
          outDir,
          issuer: profile,
          ...(format.binding === 'cnf' ? { holderKey: holderKey as JWK } : {}),
        },
      );
      // A revoked or suspended credential is never handed to a wallet as if it were just issued.
      if (result.status?.revoked)
        return oauthError(
          400,
          'credential_request_denied',
          "This learner's credential was revoked by the issuer; it is not issued again",
        );
      if (result.status?.suspended)
        return oauthError(400, 'credential_request_denied', "This learner's credential is suspended by the issuer");
      // Issued before: as the register kept it (checked against its SHA-256), whichever server the wallet reached;
      // a credential from before the register kept bytes, from this server's file.
      const kept = result.skipped ? await workspace.register.issuedCredential(result.credentialId) : undefined;
      const text = kept
        ? Buffer.from(kept).toString('utf8')
        : result.file
          ? fs.readFileSync(result.file, 'utf8')
          : undefined;
      const credential =
        text === undefined
          ? undefined
          : text.trimStart().startsWith('{')
            ? (JSON.parse(text) as Record<string, unknown>)
            : text.trim();
      // Issued before (the CLI, or an earlier offer): handed over only in the format asked for, to the wallet it was bound to.
      const refusal =
        credential === undefined
          ? 'This learner already holds this credential'
          : await notForThisWallet(credential, format, holder, holderKey);
      if (refusal) return oauthError(400, 'credential_request_denied', refusal);
      return c.json(
        issuer.createCredentialResponse({ credentialRequest: request, credentials: [{ credential }] } as never),
        200,
        { 'Cache-Control': 'no-store' },
      );
    } catch (e) {
      if (!isMicrocredError(e)) throw e;
      if (LEARNER_REFUSALS.has(e.code)) return oauthError(400, 'credential_request_denied', e.message);
      // The code only (a refusal's words may name a learner); a register that does not answer, with its cause.
      ctx.log?.(
        `error POST /oid4vci/credential: ${e.code}${e.code === 'REGISTER_UNAVAILABLE' ? `: ${e.message}` : ''}`,
      );
      if (RETRY_LATER.has(e.code))
        return oauthError(
          503,
          'temporarily_unavailable',
          'The service cannot issue this credential at the moment; try again shortly',
          { 'Retry-After': '5' },
        );
      return oauthError(500, 'server_error', 'The service failed on its side; try again later');
    }
  });
}

/** The payload of a compact JWT (or of an SD-JWT's issuer JWT), or an empty object when unreadable. */
function jwtPayload(jwt: string): Record<string, unknown> {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('~')[0]!.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    return isObject(payload) ? payload : {};
  } catch {
    return {};
  }
}

/** The kind of a credential as issued: a JSON object, an SD-JWT (`<jwt>~…~`) or a compact JWT. */
function issuedKind(credential: Record<string, unknown> | string): 'object' | 'sd-jwt' | 'jwt' {
  return typeof credential !== 'string' ? 'object' : credential.includes('~') ? 'sd-jwt' : 'jwt';
}
/** The kind of credential a library format signs (what {@link issuedKind} reads back). */
function kindOfIssueFormat(format: IssueFormat): ReturnType<typeof issuedKind> {
  return format === 'dc+sd-jwt' ? 'sd-jwt' : format === 'vc-jwt' || format === 'vc+jwt' ? 'jwt' : 'object';
}

/**
 * Why a credential the register already holds is not handed to this wallet, or undefined when it may be: it must be
 * in the format asked for (the register keeps one credential per learner and achievement), and bound to this wallet,
 * by its subject's DID or, for an SD-JWT VC, by the key in its `cnf.jwk` (compared by RFC 7638 thumbprint).
 */
async function notForThisWallet(
  credential: Record<string, unknown> | string,
  format: WalletFormat,
  holder: string,
  holderKey: Jwk,
): Promise<string | undefined> {
  if (issuedKind(credential) !== kindOfIssueFormat(format.issueFormat))
    return 'This learner already holds this credential in another format; ask for the format of the first one';
  const another = 'This learner already holds this credential, issued to another wallet';
  if (format.binding === 'cnf') {
    const cnf = jwtPayload(credential as string).cnf;
    const bound = isObject(cnf) && isObject(cnf.jwk) ? cnf.jwk : undefined;
    if (!bound) return another;
    try {
      return (await calculateJwkThumbprint(bound as JWK)) === (await calculateJwkThumbprint(holderKey as JWK))
        ? undefined
        : another;
    } catch {
      return another;
    }
  }
  return subjectIdOf(credential) === holder ? undefined : another;
}

/** The subject id of a credential as issued (an object, or a VC-JWT whose payload carries it). */
function subjectIdOf(credential: Record<string, unknown> | string): string | undefined {
  let vc: Record<string, unknown> = typeof credential === 'string' ? {} : credential;
  if (typeof credential === 'string') {
    const payload = jwtPayload(credential);
    vc = isObject(payload.vc) ? payload.vc : payload;
  }
  const subject = Array.isArray(vc.credentialSubject) ? vc.credentialSubject[0] : vc.credentialSubject;
  return isObject(subject) && typeof subject.id === 'string' ? subject.id : undefined;
}

/** Roster rows from the API's learner objects (the same columns as a roster CSV); a bad one is refused with its index. */
function rowsOf(learners: unknown[]): RosterRow[] {
  learners.forEach((l, i) => {
    if (!isObject(l) || Object.values(l).some((v) => typeof v !== 'string'))
      throw new MicrocredError(
        'INVALID_INPUT',
        'A learner is an object of text columns (email, did, studentId, name, grade, part)',
        { path: `$.learners[${i}]` },
      );
  });
  return rosterFromRecords(learners as Record<string, string>[]).map((row, i) => {
    if (isRosterProblem(row)) throw new MicrocredError('INVALID_INPUT', row.message, { path: `$.learners[${i}]` });
    return row;
  });
}
