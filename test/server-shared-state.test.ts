/**
 * Several servers, one PostgreSQL register, no shared folder: each server has its own copy of the workspace folder
 * (configuration and key), as two machines behind a load balancer do. An offer made on one is redeemed once, on any;
 * wrong transaction codes count across them; a service token made on one is accepted by the other and refused by
 * both once revoked; a c_nonce handed out by one is accepted by the other.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { initWorkspace, openWorkspace, rosterFromRecords, type RosterRow, type Workspace } from '../src/node/index';
import {
  createOffers,
  createServiceApp,
  createServiceToken,
  MAX_TX_CODE_ATTEMPTS,
  revokeServiceToken,
} from '../src/server/index';
import { nonces } from '../src/server/offers';
import { describePostgres, freshSchema } from './helpers/postgres';

const PUBLIC = 'https://credentials.example.edu';
const definition = parseYaml(
  fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8'),
) as unknown;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-state-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const tokenRequest = (code: string, txCode: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    tx_code: txCode,
  }).toString(),
});
const codeOf = (offerUri: string): string =>
  JSON.parse(decodeURIComponent(offerUri.split('credential_offer=')[1]!)).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]['pre-authorized_code'];

describePostgres('two servers on one PostgreSQL register, each with its own workspace folder', (url) => {
  it('a revocation recorded in the register without publishing (the command line, another server) is served at the next check', async () => {
    const first = path.join(dir, 'revoking-a');
    const { workspace: a } = await initWorkspace(first, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
      database: url,
      databaseSchema: freshSchema('revoking'),
    });
    // The second machine shares the published lists (status/) with the first, as docs/service.md asks.
    const second = path.join(dir, 'revoking-b');
    fs.cpSync(first, second, { recursive: true });
    fs.mkdirSync(path.join(first, 'status'), { recursive: true });
    fs.rmSync(path.join(second, 'status'), { recursive: true, force: true });
    fs.symlinkSync(path.join(first, 'status'), path.join(second, 'status'));
    const b = await openWorkspace(second);
    const appA = createServiceApp({ workspace: a, publicUrl: PUBLIC, webDir: false, statusRecheckSeconds: 0 });
    const appB = createServiceApp({ workspace: b, publicUrl: PUBLIC, webDir: false, statusRecheckSeconds: 0 });
    try {
      const { token } = await createServiceToken(a);
      const authed = (body: unknown): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const issued = await appA.request(
        '/credentials/issue',
        authed({
          credential: {
            '@context': [
              'https://www.w3.org/ns/credentials/v2',
              'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
            ],
            type: ['VerifiableCredential', 'OpenBadgeCredential'],
            name: 'Critical thinking',
            validFrom: '2026-01-01T00:00:00Z',
            credentialSubject: {
              id: 'did:example:learner-1',
              type: ['AchievementSubject'],
              achievement: {
                id: 'https://uni.example.edu/achievements/ct',
                type: ['Achievement'],
                name: 'Critical thinking',
                description: 'Argues clearly',
                criteria: { narrative: 'Passed the exam' },
              },
            },
          },
        }),
      );
      expect(issued.status).toBe(201);
      const { verifiableCredential: vc } = (await issued.json()) as { verifiableCredential: Record<string, unknown> };
      const verifyAt = async (app: typeof appA) =>
        (
          (await (
            await app.request('/credentials/verify', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ verifiableCredential: vc }),
            })
          ).json()) as { errors?: { code: string }[] }
        ).errors?.map((e) => e.code) ?? [];
      // B serves its list (published by B now, from the register).
      expect(await verifyAt(appB)).not.toContain('REVOKED');
      // Revoked in the register only, as `microcred revoke` does before `status publish` is run.
      await a.register.setStatus({
        credentialId: vc.id as string,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      // Neither server published after the change, and the status folder still holds the list B published before it.
      expect(await verifyAt(appB)).toContain('REVOKED');
      const listPath = new URL((vc.credentialStatus as { statusListCredential: string }).statusListCredential).pathname;
      const served = (await (await appB.request(listPath)).json()) as { credentialSubject: { encodedList: string } };
      const fromA = (await (await appA.request(listPath)).json()) as { credentialSubject: { encodedList: string } };
      expect(served.credentialSubject.encodedList).toBe(fromA.credentialSubject.encodedList);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  it('share offers, transaction-code attempts, service tokens and nonces through the register alone', async () => {
    const first = path.join(dir, 'server-a');
    const { workspace: a } = await initWorkspace(first, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
      database: url,
      databaseSchema: freshSchema('shared'),
    });
    // The second machine gets the workspace folder without any state the service keeps.
    const second = path.join(dir, 'server-b');
    fs.cpSync(first, second, { recursive: true });
    const b: Workspace = await openWorkspace(second);
    const appA = createServiceApp({ workspace: a, publicUrl: PUBLIC, webDir: false });
    const appB = createServiceApp({ workspace: b, publicUrl: PUBLIC, webDir: false });
    try {
      const rows = rosterFromRecords([
        { email: 'liis@example.ee', part: 'Critical thinking and argumentation', grade: 'A' },
        { email: 'mart@example.ee', part: 'Critical thinking and argumentation', grade: 'B' },
      ]) as RosterRow[];
      const [liis, mart] = await createOffers(a, PUBLIC, { definition, rows });

      // Redeemed on B, once: A then refuses the same code; the access token B gave is known to A.
      const redeemed = await appB.request('/oid4vci/token', tokenRequest(codeOf(liis!.offerUri), liis!.txCode));
      expect(redeemed.status).toBe(200);
      const { access_token } = (await redeemed.json()) as { access_token: string };
      const again = await appA.request('/oid4vci/token', tokenRequest(codeOf(liis!.offerUri), liis!.txCode));
      expect(again.status).toBe(400);
      expect(((await again.json()) as { error_description: string }).error_description).toMatch(/already redeemed/);
      const atA = await appA.request('/oid4vci/credential', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
        body: '{}',
      });
      // Known to A (a malformed request, not an unknown token).
      expect(((await atA.json()) as { error: string }).error).toBe('invalid_credential_request');

      // Wrong transaction codes on both servers add up: the offer burns, and the right code no longer works.
      for (let i = 0; i < MAX_TX_CODE_ATTEMPTS; i++)
        expect(
          (await (i % 2 ? appA : appB).request('/oid4vci/token', tokenRequest(codeOf(mart!.offerUri), '000000')))
            .status,
        ).toBe(400);
      const burnt = await appA.request('/oid4vci/token', tokenRequest(codeOf(mart!.offerUri), mart!.txCode));
      expect(burnt.status).toBe(400);
      // The learner is told to ask for a new offer, not that someone else took it.
      expect(((await burnt.json()) as { error_description: string }).error_description).toMatch(
        /entered wrongly 5 times.*ask the registrar for a new one/,
      );

      // A service token made on A works on B; revoked on B, A refuses it at once.
      const { id, token } = await createServiceToken(a);
      const offersBody = (t: string): RequestInit => ({
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
        body: JSON.stringify({
          definition,
          learners: [{ email: 'anu@example.ee', part: 'Critical thinking and argumentation', grade: 'A' }],
        }),
      });
      expect((await appB.request('/oid4vci/offers', offersBody(token))).status).toBe(201);
      await revokeServiceToken(b, id);
      expect((await appA.request('/oid4vci/offers', offersBody(token))).status).toBe(401);

      // A c_nonce from one server is one the other accepts (both derive the MAC key from the workspace key); another
      // workspace's is not.
      const now = new Date();
      expect(nonces(b).check(nonces(a).create(now), now)).toBe(true);
      const { workspace: other } = await initWorkspace(path.join(dir, 'other'), {
        name: 'Other University',
        country: 'EE',
        statusBaseUrl: 'https://other.example.edu/status/',
      });
      expect(nonces(b).check(nonces(other).create(now), now)).toBe(false);
      await other.close();
      expect(fs.existsSync(path.join(first, 'offers'))).toBe(false);
      expect(fs.existsSync(path.join(second, 'service-tokens.json'))).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
