// OpenID4VCI pre-authorized flow, with the OpenWallet Foundation's client playing the wallet against the service
// in-process (its fetch is the app's request): offer → token (with transaction code) → nonce → credential with a
// proof JWT → the credential verifies and its subject is the wallet's DID. Refusals: a second redemption, a wrong
// transaction code, an expired offer, a proof without the nonce, a proof by another key than its kid names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { clientAuthenticationNone, type CallbackContext } from '@openid4vc/oauth2';
import { verify } from '../src/index';
import { initWorkspace, rosterFromRecords, type RosterRow, type Workspace } from '../src/node/index';
import { createOffers, createServiceApp, createServiceToken } from '../src/server/index';
import type { Hono } from 'hono';

const PUBLIC = 'https://credentials.example.edu';
let dir: string;
let workspace: Workspace;
let app: Hono;
let clock = new Date();
const definition = parseYaml(fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oid4vci-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), { name: 'Test University', country: 'EE', statusBaseUrl: 'https://credentials.example.edu/status/' }));
  app = createServiceApp({ workspace, publicUrl: PUBLIC, webDir: false, oid4vci: { now: () => clock } });
});
afterAll(async () => {
  await workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A wallet: an Ed25519 key as did:key, and the OWF client whose fetch goes to the app. */
async function wallet() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const did = `did:key:${base58btc.encode(new Uint8Array([0xed, 0x01, ...Buffer.from(jwk.x!, 'base64url')]))}`;
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch: ((url: string | URL, init?: RequestInit) => app.request(String(url), init)) as CallbackContext['fetch'],
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    generateRandom: (n) => new Uint8Array(randomBytes(n)),
    clientAuthentication: clientAuthenticationNone({ clientId: 'test-wallet' }),
    signJwt: async (_signer, { header, payload }) => ({ jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey), signerJwk: jwk as never }),
  };
  return { did, client: new Openid4vciClient({ callbacks }) };
}

async function offerFor(row: Record<string, string>, expiresInSeconds?: number) {
  const r = rosterFromRecords([row])[0] as RosterRow;
  const [offer] = await createOffers(workspace, PUBLIC, { definition, rows: [r], ...(expiresInSeconds ? { expiresInSeconds } : {}) });
  return offer!;
}

/** A wallet with a P-256 key that binds by a `jwk` header (no DID of its own: the service makes a did:jwk). */
async function jwkWallet() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const base = await wallet();
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch: ((url: string | URL, init?: RequestInit) => app.request(String(url), init)) as CallbackContext['fetch'],
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    generateRandom: (n) => new Uint8Array(randomBytes(n)),
    clientAuthentication: clientAuthenticationNone({ clientId: 'test-wallet' }),
    signJwt: async (_signer, { header, payload }) => ({ jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey), signerJwk: jwk as never }),
  };
  const did = `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).toString('base64url')}`;
  return { ...base, did, jwk, client: new Openid4vciClient({ callbacks }) };
}

async function redeem(w: Awaited<ReturnType<typeof wallet>> & { jwk?: unknown }, offerUri: string, txCode: string, configurationId = 'OpenBadgeCredential_ldp_vc') {
  const credentialOffer = await w.client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await w.client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await w.client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode });
  const nonceResponse = await w.client.requestNonce({ issuerMetadata });
  const { jwt } = await w.client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configurationId, nonce: nonceResponse.c_nonce, signer: w.jwk ? { method: 'jwk', publicJwk: w.jwk as never, alg: 'ES256' } : { method: 'did', didUrl: `${w.did}#${w.did.slice(8)}`, alg: 'EdDSA' } });
  const response = await w.client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configurationId, proofs: { jwt: [jwt] } });
  return (response.credentialResponse.credentials![0] as { credential: unknown }).credential;
}

describe('OpenID4VCI pre-authorized code flow', () => {
  it('offer → token → credential (ldp_vc): the credential verifies and its subject is the wallet DID', async () => {
    const offer = await offerFor({ email: 'mari@example.ee', name: 'Mari Maasikas', part: 'Critical thinking and argumentation', grade: 'A' });
    expect(offer.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
    expect(offer.qrSvg).toMatch(/^<svg/);
    expect(offer.txCode).toMatch(/^\d{6}$/);
    const w = await wallet();
    const credential = (await redeem(w, offer.offerUri, offer.txCode)) as Record<string, unknown>;
    const report = await verify(credential, { statusCheck: 'optional' });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verified).toBe(true);
    expect((credential.credentialSubject as { id: string }).id).toBe(w.did);
    // One record in the register for this learner.
    expect((await workspace.register.listIssued()).filter((r) => r.credentialId === credential.id)).toHaveLength(1);
  });

  it('delivers jwt_vc_json bound to the wallet DID', async () => {
    const offer = await offerFor({ email: 'jaan@example.ee', part: 'Critical thinking and argumentation', grade: 'B' });
    const w = await wallet();
    const credential = await redeem(w, offer.offerUri, offer.txCode, 'OpenBadgeCredential_jwt_vc_json');
    expect(typeof credential).toBe('string');
    const report = await verify(credential as string, { statusCheck: 'optional' });
    expect(report.verified).toBe(true);
    expect(JSON.stringify(report.credential)).toContain(w.did);
  });

  it('binds to a wallet key given as a jwk header (ES256): the subject is its did:jwk', async () => {
    const offer = await offerFor({ email: 'ants@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    const w = await jwkWallet();
    const credential = (await redeem(w, offer.offerUri, offer.txCode)) as Record<string, unknown>;
    expect((credential.credentialSubject as { id: string }).id).toBe(w.did);
  });

  it('a learner offered the same credential again gets it in the same wallet, and is refused in another', async () => {
    const row = { email: 'maie@example.ee', part: 'Critical thinking and argumentation', grade: 'A' };
    const w = await wallet();
    const o1 = await offerFor(row);
    const first = (await redeem(w, o1.offerUri, o1.txCode)) as Record<string, unknown>;
    const o2 = await offerFor(row);
    const again = (await redeem(w, o2.offerUri, o2.txCode)) as Record<string, unknown>;
    expect(again.id).toBe(first.id);
    const o3 = await offerFor(row);
    await expect(redeem(await wallet(), o3.offerUri, o3.txCode)).rejects.toThrow(/credential_request_denied|another wallet/);
  });

  it('refuses a second redemption of the same offer', async () => {
    const offer = await offerFor({ email: 'kati@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    await redeem(await wallet(), offer.offerUri, offer.txCode);
    await expect(redeem(await wallet(), offer.offerUri, offer.txCode)).rejects.toThrow(/invalid_grant|already redeemed/);
  });

  it('refuses a wrong transaction code, and burns the offer after five', async () => {
    const offer = await offerFor({ email: 'peeter@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    const w = await wallet();
    for (let i = 0; i < 5; i++) await expect(redeem(w, offer.offerUri, wrong)).rejects.toThrow(/invalid_grant|wrong transaction code/);
    // The right code no longer helps: guessing a 6-digit code by trying is not possible.
    await expect(redeem(w, offer.offerUri, offer.txCode)).rejects.toThrow(/invalid_grant|already redeemed/);
  });

  it('refuses an expired offer', async () => {
    const offer = await offerFor({ email: 'liis@example.ee', part: 'Critical thinking and argumentation', grade: 'A' }, 60);
    clock = new Date(Date.now() + 61_000);
    try {
      await expect(redeem(await wallet(), offer.offerUri, offer.txCode)).rejects.toThrow(/invalid_grant|expired/);
    } finally {
      clock = new Date();
    }
  });

  it('refuses a credential request without a valid access token or with a forged proof', async () => {
    const noToken = await app.request('/oid4vci/credential', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: string }).error).toBe('invalid_token');
    // A proof signed by one key whose kid names another wallet's DID.
    const offer = await offerFor({ email: 'toomas@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    const params = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': JSON.parse(decodeURIComponent(offer.offerUri.split('credential_offer=')[1]!)).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'], tx_code: offer.txCode });
    const twice = await app.request('/oid4vci/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${params.toString()}&tx_code=000000` });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toBe('invalid_request');
    const token = (await (await app.request('/oid4vci/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() })).json()) as { access_token: string };
    const nonce = ((await (await app.request('/oid4vci/nonce', { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
    const victim = await wallet();
    const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwt = await new SignJWT({ aud: PUBLIC, iat: Math.floor(Date.now() / 1000), nonce }).setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: `${victim.did}#${victim.did.slice(8)}` }).sign(attacker.privateKey);
    const forged = await app.request('/oid4vci/credential', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` }, body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [jwt] } }) });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: string }).error).toBe('invalid_proof');
    // A proof with a nonce the service never gave.
    const stale = await new SignJWT({ aud: PUBLIC, iat: Math.floor(Date.now() / 1000), nonce: 'made-up' }).setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: `${victim.did}#${victim.did.slice(8)}` }).sign(attacker.privateKey);
    const noNonce = await app.request('/oid4vci/credential', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` }, body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [stale] } }) });
    expect(((await noNonce.json()) as { error: string }).error).toBe('invalid_nonce');
  });

  it('creates offers through the API only with a bearer token', async () => {
    const body = JSON.stringify({ definition, learners: [{ email: 'anu@example.ee', part: 'Critical thinking and argumentation', grade: 'A' }] });
    const refused = await app.request('/oid4vci/offers', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(refused.status).toBe(401);
    const { token } = createServiceToken(workspace.dir);
    const made = await app.request('/oid4vci/offers', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    expect(made.status).toBe(201);
    const { offers } = (await made.json()) as { offers: { txCode: string; learnerLabel: string }[] };
    expect(offers).toHaveLength(1);
    expect(offers[0]!.learnerLabel).not.toContain('anu@example.ee');
    const bad = await app.request('/oid4vci/offers', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ definition, learners: [{ name: 'Only A Name' }] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; path: string } }).error).toMatchObject({ code: 'INVALID_INPUT', path: '$.learners[0]' });
  });
});
