// Red-team round 10 on the issuing service: attacker-made requests to the OpenID4VCI credential endpoint.
// - A proof whose kid is a did:jwk naming one member twice (`x` of a victim's key, then the attacker's): JSON.parse
//   reads the attacker's key, a first-wins resolver the victim's, so the credential would be bound to two keys.
// - A credential request while another server sharing the register is issuing the same learner's credential: the
//   wallet (anyone holding an offer) was told the other process's id, host name, the learner's register reference and
//   the operator's recovery advice, as a permanent refusal (400 credential_request_denied) of a passing condition.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import {
  initWorkspace,
  openWorkspace,
  rosterFromRecords,
  workspaceDefinition,
  type RosterRow,
  type Workspace,
} from '../src/node/index';
import { definitionFor } from '../src/node/issue-batch';
import { createOffers, createServiceApp } from '../src/server/index';
import type { Hono } from 'hono';

const PUBLIC = 'https://credentials.example.edu';
const PART = 'Critical thinking and argumentation';
const definition = parseYaml(
  fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8'),
) as unknown;
let dir: string;
let workspace: Workspace;
let app: Hono;
const logged: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redteam10-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  }));
  app = createServiceApp({ workspace, publicUrl: PUBLIC, webDir: false, log: (line) => logged.push(line) });
});
afterAll(async () => {
  await workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An access token for a fresh offer to `email`, redeemed as a wallet would. */
async function accessToken(email: string): Promise<string> {
  const row = rosterFromRecords([{ email, part: PART, grade: 'A' }])[0] as RosterRow;
  const [offer] = await createOffers(workspace, PUBLIC, { definition, rows: [row] });
  const code = JSON.parse(decodeURIComponent(offer!.offerUri.split('credential_offer=')[1]!)).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]['pre-authorized_code'] as string;
  const response = await app.request('/oid4vci/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      tx_code: offer!.txCode,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function ed25519() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const did = `did:key:${base58btc.encode(new Uint8Array([0xed, 0x01, ...Buffer.from(jwk.x!, 'base64url')]))}`;
  return { privateKey, jwk, did };
}

/** A credential request with a proof JWT signed by `key` whose header `kid` is `kid`. */
async function requestCredential(access: string, kid: string, key: CryptoKey) {
  const nonce = ((await (await app.request('/oid4vci/nonce', { method: 'POST' })).json()) as { c_nonce: string })
    .c_nonce;
  const jwt = await new SignJWT({ aud: PUBLIC, iat: Math.floor(Date.now() / 1000), nonce })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid })
    .sign(key);
  return app.request('/oid4vci/credential', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
    body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_ldp_vc', proofs: { jwt: [jwt] } }),
  });
}

describe('OpenID4VCI credential endpoint, attacker-made requests', () => {
  it('refuses a did:jwk that can be read as two keys (a member named twice) or carries nested members', async () => {
    const victim = await ed25519();
    const attacker = await ed25519();
    const didJwk = (json: string) => `did:jwk:${Buffer.from(json).toString('base64url')}`;
    const twice = didJwk(`{"kty":"OKP","crv":"Ed25519","x":"${victim.jwk.x}","x":"${attacker.jwk.x}"}`);
    const nested = didJwk(`{"kty":"OKP","crv":"Ed25519","x":"${attacker.jwk.x}","meta":{"__proto__":{"x":"a"}}}`);
    const access = await accessToken('toomas@example.ee');
    for (const did of [twice, nested]) {
      const refused = await requestCredential(access, `${did}#0`, attacker.privateKey);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe('invalid_proof');
    }
    // The same key written once is a did:jwk like any other, and is issued to.
    const once = didJwk(`{"kty":"OKP","crv":"Ed25519","x":"${attacker.jwk.x}"}`);
    const issued = await requestCredential(access, `${once}#0`, attacker.privateKey);
    expect(issued.status).toBe(200);
    const { credentials } = (await issued.json()) as {
      credentials: { credential: { credentialSubject: { id: string } } }[];
    };
    expect(credentials[0]!.credential.credentialSubject.id).toBe(once);
  });

  it("tells a wallet to retry, and nothing of the server's, while another server issues the same credential", async () => {
    const access = await accessToken('liis@example.ee');
    // A second server on the same register is issuing this learner's credential right now.
    const other = await openWorkspace(path.join(dir, 'ws'));
    try {
      const { definition: parsed } = workspaceDefinition(other, definition);
      const row = rosterFromRecords([{ email: 'liis@example.ee', part: PART, grade: 'A' }])[0] as RosterRow;
      const learnerRef = await other.linkLearner([row.identity]);
      await other.register.reserveIssuance({
        rosterKey: learnerRef,
        learnerRef,
        learnerLabel: other.learnerLabel(row.identity),
        achievementId: definitionFor(parsed, PART)!.id,
        listId: (await other.currentStatusList()).id,
      });
      const wallet = await ed25519();
      const busy = await requestCredential(access, `${wallet.did}#${wallet.did.slice(8)}`, wallet.privateKey);
      const text = await busy.text();
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(text).error).toBe('temporarily_unavailable');
      for (const secret of [String(process.pid), os.hostname(), learnerRef, 'recoverOrphans', 'learner:'])
        expect(text).not.toContain(secret);
      expect(logged).toContain('error POST /oid4vci/credential: REGISTER_LOCKED');
    } finally {
      await other.close();
    }
  });
});
