// OpenID4VCI pre-authorized flow, with the OpenWallet Foundation's client playing the wallet against the service
// in-process (its fetch is the app's request): offer → token (with transaction code) → nonce → credential with a
// proof JWT → the credential verifies and its subject is the wallet's DID. Refusals: a second redemption, a wrong
// transaction code, an expired offer, a proof without the nonce, a proof by another key than its kid names.
// SD-JWT VC (dc+sd-jwt): bound to the wallet's key (cnf.jwk); the wallet presents a subset with its KB-JWT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { clientAuthenticationNone, type CallbackContext } from '@openid4vc/oauth2';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import { EU_MICROCREDENTIAL_VCT, presentSdJwt, verify, type JwtKey, type VerificationReport } from '../src/index';
import { initWorkspace, rosterFromRecords, type RosterRow, type Workspace } from '../src/node/index';
import { createOffers, createServiceApp, createServiceToken } from '../src/server/index';
import type { Hono } from 'hono';

const PUBLIC = 'https://credentials.example.edu';
let dir: string;
let workspace: Workspace;
let app: Hono;
let clock = new Date();
const definition = parseYaml(fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8')) as Record<
  string,
  unknown
>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oid4vci-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  }));
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
    signJwt: async (_signer, { header, payload }) => ({
      jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
      signerJwk: jwk as never,
    }),
  };
  // The wallet's key as the library's JWT key, for its presentations (publicJwk, not jwk: redeem reads jwk as "bind by jwk header").
  const key: JwtKey = { alg: 'EdDSA', publicJwk: jwk, privateKey, publicKey };
  return { did, key, client: new Openid4vciClient({ callbacks }) };
}

async function offerFor(row: Record<string, string>, expiresInSeconds?: number, configurationIds?: string[]) {
  const r = rosterFromRecords([row])[0] as RosterRow;
  const [offer] = await createOffers(workspace, PUBLIC, {
    definition,
    rows: [r],
    ...(expiresInSeconds ? { expiresInSeconds } : {}),
    ...(configurationIds ? { configurationIds } : {}),
  });
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
    signJwt: async (_signer, { header, payload }) => ({
      jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
      signerJwk: jwk as never,
    }),
  };
  const did = `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).toString('base64url')}`;
  return {
    ...base,
    did,
    jwk,
    key: { alg: 'ES256', publicJwk: jwk, privateKey, publicKey } as JwtKey,
    client: new Openid4vciClient({ callbacks }),
  };
}

async function redeem(
  w: Awaited<ReturnType<typeof wallet>> & { jwk?: unknown },
  offerUri: string,
  txCode: string,
  configurationId = 'OpenBadgeCredential_ldp_vc',
) {
  const credentialOffer = await w.client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await w.client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await w.client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer,
    issuerMetadata,
    txCode,
  });
  const nonceResponse = await w.client.requestNonce({ issuerMetadata });
  const { jwt } = await w.client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    nonce: nonceResponse.c_nonce,
    signer: w.jwk
      ? { method: 'jwk', publicJwk: w.jwk as never, alg: 'ES256' }
      : { method: 'did', didUrl: `${w.did}#${w.did.slice(8)}`, alg: 'EdDSA' },
  });
  const response = await w.client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [jwt] },
  });
  return (response.credentialResponse.credentials![0] as { credential: unknown }).credential;
}

describe('OpenID4VCI pre-authorized code flow', () => {
  it('offer → token → credential (ldp_vc): the credential verifies and its subject is the wallet DID', async () => {
    const offer = await offerFor({
      email: 'mari@example.ee',
      name: 'Mari Maasikas',
      part: 'Critical thinking and argumentation',
      grade: 'A',
    });
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
    await expect(redeem(await wallet(), o3.offerUri, o3.txCode)).rejects.toThrow(
      /credential_request_denied|another wallet/,
    );
  });

  it('a revoked credential is never handed to the wallet again as if just issued', async () => {
    const row = { email: 'revoked-later@example.ee', part: 'Critical thinking and argumentation', grade: 'B' };
    const w = await wallet();
    const o1 = await offerFor(row);
    const first = (await redeem(w, o1.offerUri, o1.txCode)) as Record<string, unknown>;
    await workspace.register.setStatus({
      credentialId: first.id as string,
      purpose: 'revocation',
      value: true,
      reason: 'Grade annulled',
    });
    const o2 = await offerFor(row);
    await expect(redeem(w, o2.offerUri, o2.txCode)).rejects.toThrow(/credential_request_denied|revoked/);
  });

  it('a credential asked for again on a server without its file is handed over as the register kept it', async () => {
    const row = { email: 'helju@example.ee', part: 'Critical thinking and argumentation', grade: 'A' };
    const w = await wallet();
    const o1 = await offerFor(row);
    const first = (await redeem(w, o1.offerUri, o1.txCode)) as Record<string, unknown>;
    const record = (await workspace.register.findByCredentialId(first.id as string))!;
    const file = path.isAbsolute(record.file!) ? record.file! : path.join(workspace.dir, record.file!);
    const bytes = fs.readFileSync(file);
    // Another server issued it, to its own issued/ folder.
    fs.rmSync(file);
    try {
      const o2 = await offerFor(row);
      expect(await redeem(w, o2.offerUri, o2.txCode)).toEqual(first);
    } finally {
      fs.writeFileSync(file, bytes);
    }
  });

  it('refuses a second redemption of the same offer', async () => {
    const offer = await offerFor({ email: 'kati@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    await redeem(await wallet(), offer.offerUri, offer.txCode);
    await expect(redeem(await wallet(), offer.offerUri, offer.txCode)).rejects.toThrow(
      /invalid_grant|already redeemed/,
    );
  });

  it('refuses a wrong transaction code, and burns the offer after five', async () => {
    const offer = await offerFor({
      email: 'peeter@example.ee',
      part: 'Critical thinking and argumentation',
      grade: 'A',
    });
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    const w = await wallet();
    for (let i = 0; i < 5; i++)
      await expect(redeem(w, offer.offerUri, wrong)).rejects.toThrow(/invalid_grant|wrong transaction code/);
    // The right code no longer helps: guessing a 6-digit code by trying is not possible.
    await expect(redeem(w, offer.offerUri, offer.txCode)).rejects.toThrow(/invalid_grant|already redeemed/);
  });

  it('refuses an expired offer', async () => {
    const offer = await offerFor(
      { email: 'liis@example.ee', part: 'Critical thinking and argumentation', grade: 'A' },
      60,
    );
    clock = new Date(Date.now() + 61_000);
    try {
      await expect(redeem(await wallet(), offer.offerUri, offer.txCode)).rejects.toThrow(/invalid_grant|expired/);
    } finally {
      clock = new Date();
    }
  });

  it('refuses a credential request without a valid access token or with a forged proof', async () => {
    const noToken = await app.request('/oid4vci/credential', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      body: '{}',
    });
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: string }).error).toBe('invalid_token');
    // A proof signed by one key whose kid names another wallet's DID.
    const offer = await offerFor({
      email: 'toomas@example.ee',
      part: 'Critical thinking and argumentation',
      grade: 'A',
    });
    const params = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': JSON.parse(decodeURIComponent(offer.offerUri.split('credential_offer=')[1]!)).grants[
        'urn:ietf:params:oauth:grant-type:pre-authorized_code'
      ]['pre-authorized_code'],
      tx_code: offer.txCode,
    });
    const twice = await app.request('/oid4vci/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${params.toString()}&tx_code=000000`,
    });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toBe('invalid_request');
    const token = (await (
      await app.request('/oid4vci/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      })
    ).json()) as { access_token: string };
    const nonce = ((await (await app.request('/oid4vci/nonce', { method: 'POST' })).json()) as { c_nonce: string })
      .c_nonce;
    const victim = await wallet();
    const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwt = await new SignJWT({ aud: PUBLIC, iat: Math.floor(Date.now() / 1000), nonce })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: `${victim.did}#${victim.did.slice(8)}` })
      .sign(attacker.privateKey);
    const forged = await app.request('/oid4vci/credential', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [jwt] } }),
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: string }).error).toBe('invalid_proof');
    // A proof with a nonce the service never gave.
    const stale = await new SignJWT({ aud: PUBLIC, iat: Math.floor(Date.now() / 1000), nonce: 'made-up' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: `${victim.did}#${victim.did.slice(8)}` })
      .sign(attacker.privateKey);
    const noNonce = await app.request('/oid4vci/credential', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [stale] } }),
    });
    expect(((await noNonce.json()) as { error: string }).error).toBe('invalid_nonce');
  });

  it("moves an older workspace's offers folder into the register once: open offers still redeem once, redeemed ones stay redeemed", async () => {
    const { workspace: older } = await initWorkspace(path.join(dir, 'older'), {
      name: 'Older University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
    });
    const olderApp = createServiceApp({ workspace: older, publicUrl: PUBLIC, webDir: false });
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const folder = path.join(older.dir, 'offers');
    fs.mkdirSync(path.join(folder, 'tokens'), { recursive: true });
    const row = rosterFromRecords([
      { email: 'ivo@example.ee', part: 'Critical thinking and argumentation', grade: 'A' },
    ])[0];
    const stored = {
      definition,
      row,
      txCodeSha256: sha('123456'),
      expiresAt: '2099-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
    };
    const open = 'o'.repeat(43);
    const used = 'u'.repeat(43);
    fs.writeFileSync(path.join(folder, `${sha(open)}.json`), JSON.stringify(stored));
    fs.writeFileSync(path.join(folder, `${sha(used)}.json`), JSON.stringify(stored));
    fs.writeFileSync(path.join(folder, `${sha(used)}.redeemed`), '2026-01-02T00:00:00Z\n');
    const redeem = (code: string) =>
      olderApp.request('/oid4vci/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
          'pre-authorized_code': code,
          tx_code: '123456',
        }).toString(),
      });
    expect((await redeem(used)).status).toBe(400);
    expect((await redeem(open)).status).toBe(200);
    expect((await redeem(open)).status).toBe(400);
    expect(fs.existsSync(folder)).toBe(false);
    expect(fs.existsSync(`${folder}.imported`)).toBe(true);
    await older.close();
  });

  it('an import cut short (a busy database) keeps a redeemed or burnt older offer unredeemable when it is retried, and skips a file that is not an offer', async () => {
    const { workspace: older } = await initWorkspace(path.join(dir, 'older-interrupted'), {
      name: 'Older University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
    });
    const olderApp = createServiceApp({ workspace: older, publicUrl: PUBLIC, webDir: false });
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const folder = path.join(older.dir, 'offers');
    fs.mkdirSync(folder, { recursive: true });
    const row = rosterFromRecords([
      { email: 'ivo@example.ee', part: 'Critical thinking and argumentation', grade: 'A' },
    ])[0];
    const stored = JSON.stringify({
      definition,
      row,
      txCodeSha256: sha('123456'),
      expiresAt: '2099-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
    });
    const used = 'u'.repeat(43);
    const burnt = 'b'.repeat(43);
    const open = 'o'.repeat(43);
    fs.writeFileSync(path.join(folder, `${sha(used)}.json`), stored);
    fs.writeFileSync(path.join(folder, `${sha(used)}.redeemed`), '2026-01-02T00:00:00Z\n');
    fs.writeFileSync(path.join(folder, `${sha(burnt)}.json`), stored);
    fs.writeFileSync(path.join(folder, `${sha(burnt)}.attempts`), 'xxxxx');
    fs.writeFileSync(path.join(folder, `${sha(burnt)}.redeemed`), 'burnt: too many wrong transaction codes\n');
    fs.writeFileSync(path.join(folder, `${sha(open)}.json`), stored);
    // A half-written file (a crash while the older version wrote it): it never was a usable offer.
    fs.writeFileSync(path.join(folder, `${sha('h'.repeat(43))}.json`), '{"defin');
    const redeem = (code: string) =>
      olderApp.request('/oid4vci/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
          'pre-authorized_code': code,
          tx_code: '123456',
        }).toString(),
      });
    // The database fails once while the import carries the older offers' redemptions over.
    const real = older.register.redeemOffer.bind(older.register);
    let failures = 0;
    older.register.redeemOffer = async (r) => {
      if (failures++ < 2) throw new Error('database is busy');
      return real(r);
    };
    expect((await redeem(open)).status).toBeGreaterThanOrEqual(400);
    expect((await redeem(open)).status).toBeGreaterThanOrEqual(400);
    expect((await redeem(used)).status).toBe(400);
    expect((await redeem(burnt)).status).toBe(400);
    expect((await redeem(open)).status).toBe(200);
    expect(fs.existsSync(`${folder}.imported`)).toBe(true);
    await older.close();
  });

  it('creates offers through the API only with a bearer token', async () => {
    const body = JSON.stringify({
      definition,
      learners: [{ email: 'anu@example.ee', part: 'Critical thinking and argumentation', grade: 'A' }],
    });
    const refused = await app.request('/oid4vci/offers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(refused.status).toBe(401);
    const { token } = await createServiceToken(workspace);
    const made = await app.request('/oid4vci/offers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(made.status).toBe(201);
    const { offers } = (await made.json()) as { offers: { txCode: string; learnerLabel: string }[] };
    expect(offers).toHaveLength(1);
    expect(offers[0]!.learnerLabel).not.toContain('anu@example.ee');
    const bad = await app.request('/oid4vci/offers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ definition, learners: [{ name: 'Only A Name' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; path: string } }).error).toMatchObject({
      code: 'INVALID_INPUT',
      path: '$.learners[0]',
    });
  });
});

const SD_JWT = 'EuMicroCredential_dc_sd_jwt';
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
const failCode = (report: VerificationReport, check: string) =>
  report.checks.find((c) => c.status === 'fail' && c.check === check)?.code;
/** Status lists as a verifier fetches them, from the service (the Token Status List of an SD-JWT VC as its JWT text). */
const fromService = async (url: string): Promise<unknown> => {
  const r = await app.request(url);
  if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
  return url.endsWith('.jwt') ? r.text() : r.json();
};

describe('OpenID4VCI: SD-JWT VC (dc+sd-jwt) for EUDI wallets', () => {
  it('lists dc+sd-jwt in the issuer metadata with our vct', async () => {
    const metadata = (await (await app.request('/.well-known/openid-credential-issuer')).json()) as {
      credential_configurations_supported: Record<string, Record<string, unknown>>;
    };
    expect(metadata.credential_configurations_supported[SD_JWT]).toMatchObject({
      format: 'dc+sd-jwt',
      vct: EU_MICROCREDENTIAL_VCT,
      credential_signing_alg_values_supported: ['EdDSA'],
      cryptographic_binding_methods_supported: expect.arrayContaining(['jwk', 'did:key', 'did:jwk']),
    });
    const offer = await offerFor({ email: 'eva@example.ee', part: 'Critical thinking and argumentation', grade: 'A' });
    expect(
      JSON.parse(decodeURIComponent(offer.offerUri.split('credential_offer=')[1]!)).credential_configuration_ids,
    ).toContain(SD_JWT);
  });

  it('delivers a dc+sd-jwt bound to the wallet key; the wallet presents it without the grade and it verifies with key binding', async () => {
    const offer = await offerFor({
      email: 'kadri@example.ee',
      name: 'Kadri Kask',
      part: 'Critical thinking and argumentation',
      grade: 'A',
    });
    const w = await wallet();
    const sdJwt = (await redeem(w, offer.offerUri, offer.txCode, SD_JWT)) as string;
    expect(typeof sdJwt).toBe('string');
    expect(sdJwt.endsWith('~')).toBe(true);
    expect(unb64(sdJwt.split('.')[0]!)).toMatchObject({ typ: 'dc+sd-jwt', alg: 'EdDSA' });
    const payload = unb64(sdJwt.split('.')[1]!);
    expect(payload).toMatchObject({
      vct: EU_MICROCREDENTIAL_VCT,
      cnf: { jwk: { kty: 'OKP', crv: 'Ed25519', x: w.key.publicJwk.x } },
    });
    expect((await verify(sdJwt, { statusCheck: 'optional' })).verified).toBe(true);
    const statusUri = (payload.status as { status_list: { uri: string } }).status_list.uri;
    expect(statusUri).toMatch(/^https:\/\/credentials\.example\.edu\/status\/.+\.jwt$/);
    const hosted = await app.request(statusUri);
    expect(hosted.status).toBe(200);
    expect(hosted.headers.get('content-type')).toBe('application/statuslist+jwt');

    const verifierNonce = randomBytes(16).toString('base64url');
    const audience = 'https://employer.example';
    const keyBinding = { nonce: verifierNonce, audience };
    const shown = await presentSdJwt(sdJwt, {
      disclose: ['title', 'workload', 'level', 'learner.id'],
      holderKey: w.key,
      nonce: verifierNonce,
      audience,
    });
    // The status check is required: the service hosts the Token Status List the credential names.
    const report = await verify(shown, { fetchStatusList: fromService, keyBinding });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.checks.find((c) => c.check === 'holderBinding')?.status).toBe('pass');
    expect(report.checks.find((c) => c.check === 'status')?.status).toBe('pass');
    expect(report.sdJwt?.keyBinding).toBe('presented');
    expect(report.sdJwt?.withheld).toContain('grade');
    expect(report.euElements?.grade).toBeUndefined();
    expect(report.euElements?.title).toBe('Critical thinking and argumentation');
    // The learner's DID (the wallet's) is disclosable beside the key binding.
    expect(JSON.stringify(report.credential)).toContain(w.did);

    // A KB-JWT signed by another key than the one the wallet proved is refused, as is one for another nonce.
    const stranger = await wallet();
    const forged = await presentSdJwt(sdJwt, {
      disclose: ['title'],
      holderKey: stranger.key,
      nonce: verifierNonce,
      audience,
    });
    const refused = await verify(forged, { statusCheck: 'optional', keyBinding });
    expect(refused.verified).toBe(false);
    expect(failCode(refused, 'holderBinding')).toBe('HOLDER_BINDING_MISMATCH');
    expect(
      failCode(
        await verify(shown, { statusCheck: 'optional', keyBinding: { nonce: 'another', audience } }),
        'holderBinding',
      ),
    ).toBe('CHALLENGE_MISMATCH');

    // The OpenWallet Foundation's SD-JWT VC verifier accepts the same presentation, key binding included; it checks
    // the Token Status List too, as the service hosts it.
    const issuerKey = await importJWK(workspace.key.toPublicJwk(), 'EdDSA');
    const owf = new SDJwtVcInstance({
      hasher: digest,
      verifier: async (data, sig) =>
        crypto.subtle.verify(
          { name: 'Ed25519' },
          issuerKey as CryptoKey,
          Buffer.from(sig, 'base64url'),
          new TextEncoder().encode(data),
        ),
      kbVerifier: async (data, sig, kbPayload) => {
        const holder = await importJWK((kbPayload as { cnf: { jwk: Record<string, string> } }).cnf.jwk, 'EdDSA');
        return crypto.subtle.verify(
          { name: 'Ed25519' },
          holder as CryptoKey,
          Buffer.from(sig, 'base64url'),
          new TextEncoder().encode(data),
        );
      },
      statusListFetcher: async (uri) => (await fromService(uri)) as string,
    });
    const result = await owf.verify(shown, { keyBindingNonce: verifierNonce });
    expect(result.payload).toMatchObject({ vct: EU_MICROCREDENTIAL_VCT, title: 'Critical thinking and argumentation' });
    expect(result.payload).not.toHaveProperty('grade');
    expect(result.kb?.payload).toMatchObject({ nonce: verifierNonce, aud: audience });
    await expect(owf.verify(forged, { keyBindingNonce: verifierNonce })).rejects.toThrow();

    // Revoked through the service: its hosted Token Status List says so, to us and to the OWF verifier.
    const credentialId = sdJwt
      .split('~')
      .slice(1, -1)
      .map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[])
      .find((d) => d[1] === 'credential_id')![2];
    const { token } = await createServiceToken(workspace);
    const revoked = await app.request('/credentials/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        credentialId,
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
        reason: 'test',
      }),
    });
    expect(revoked.status).toBe(200);
    const after = await verify(shown, { fetchStatusList: fromService, keyBinding });
    expect(after.verified).toBe(false);
    expect(failCode(after, 'status')).toBe('REVOKED');
    await expect(owf.verify(shown, { keyBindingNonce: verifierNonce })).rejects.toThrow(/[Ss]tatus/);
  });

  it('binds to an ES256 wallet key given as a jwk header', async () => {
    const offer = await offerFor({ email: 'tiit@example.ee', part: 'Critical thinking and argumentation', grade: 'B' });
    const w = await jwkWallet();
    const sdJwt = (await redeem(w, offer.offerUri, offer.txCode, SD_JWT)) as string;
    expect(unb64(sdJwt.split('.')[1]!).cnf).toEqual({ jwk: { kty: 'EC', crv: 'P-256', x: w.jwk.x, y: w.jwk.y } });
    const shown = await presentSdJwt(sdJwt, {
      disclose: ['title'],
      holderKey: w.key,
      nonce: 'n-1',
      audience: 'https://employer.example',
    });
    expect(
      (
        await verify(shown, {
          statusCheck: 'optional',
          keyBinding: { nonce: 'n-1', audience: 'https://employer.example' },
        })
      ).verified,
    ).toBe(true);
  });

  it('hands an SD-JWT held before only to the wallet whose key it is bound to, and never in another format', async () => {
    const row = { email: 'helen@example.ee', part: 'Critical thinking and argumentation', grade: 'A' };
    const w = await wallet();
    const o1 = await offerFor(row);
    const first = await redeem(w, o1.offerUri, o1.txCode, SD_JWT);
    const o2 = await offerFor(row);
    expect(await redeem(w, o2.offerUri, o2.txCode, SD_JWT)).toBe(first);
    const o3 = await offerFor(row);
    await expect(redeem(await wallet(), o3.offerUri, o3.txCode, SD_JWT)).rejects.toThrow(
      /credential_request_denied|another wallet/,
    );
    // The register holds one credential per learner and achievement: the same learner asking for ldp_vc now is refused,
    // not handed the SD-JWT under another format's name (and the other way round).
    const o4 = await offerFor(row);
    await expect(redeem(w, o4.offerUri, o4.txCode)).rejects.toThrow(/another format/);
    const other = { email: 'rein@example.ee', part: 'Critical thinking and argumentation', grade: 'A' };
    const o5 = await offerFor(other);
    await redeem(w, o5.offerUri, o5.txCode);
    const o6 = await offerFor(other);
    await expect(redeem(w, o6.offerUri, o6.txCode, SD_JWT)).rejects.toThrow(/another format/);
  });

  it('issues only the formats an offer names (library and API)', async () => {
    const row = { email: 'marju@example.ee', part: 'Critical thinking and argumentation', grade: 'A' };
    const ldpOnly = await offerFor(row, undefined, ['OpenBadgeCredential_ldp_vc']);
    expect(
      JSON.parse(decodeURIComponent(ldpOnly.offerUri.split('credential_offer=')[1]!)).credential_configuration_ids,
    ).toEqual(['OpenBadgeCredential_ldp_vc']);
    await expect(redeem(await wallet(), ldpOnly.offerUri, ldpOnly.txCode, SD_JWT)).rejects.toThrow(
      /invalid_credential_request|This offer is for/,
    );
    // Nothing was issued for the refused request: the learner can still receive the SD-JWT from an offer that names it.
    const { token } = await createServiceToken(workspace);
    const post = (body: unknown) =>
      app.request('/oid4vci/offers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const made = await post({ definition, learners: [row], configurationIds: [SD_JWT] });
    expect(made.status).toBe(201);
    const [offer] = ((await made.json()) as { offers: { offerUri: string; txCode: string }[] }).offers;
    expect(
      JSON.parse(decodeURIComponent(offer!.offerUri.split('credential_offer=')[1]!)).credential_configuration_ids,
    ).toEqual([SD_JWT]);
    expect(typeof (await redeem(await wallet(), offer!.offerUri, offer!.txCode, SD_JWT))).toBe('string');
    const unknown = await post({ definition, learners: [row], configurationIds: ['nope'] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string; path: string } }).error).toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      path: '$.configurationIds',
    });
    const malformed = await post({ definition, learners: [row], configurationIds: 'all' });
    expect(((await malformed.json()) as { error: { code: string; path: string } }).error).toMatchObject({
      code: 'INVALID_INPUT',
      path: '$.configurationIds',
    });
  });
});
