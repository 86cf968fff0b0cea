/**
 * Two issuing servers set up as docs/register.md says ("Behind a load balancer": each gets a copy of the workspace
 * folder made after init, both on one PostgreSQL register) both pass the load balancer's health check and both serve
 * the status lists, and a revocation recorded through either is in what the other serves. Before the status folder
 * kept its record of the lists it held, the second server refused to publish (the register recorded the first one's
 * publication, and its own folder had no file), answered /health 503 and every status list request 503.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { credentialHash, initWorkspace, openWorkspace, type Workspace } from '../src/node/index';
import { createServiceApp, createServiceToken } from '../src/server/index';
import { decodeBitstring } from '../src/status/bitstring';
import { describePostgres, freshSchema } from './helpers/postgres';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-two-folders-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describePostgres('two servers, each with its own status folder, on one PostgreSQL register', (url) => {
  it('both are healthy and serve the lists, and each serves a revocation recorded through the other', async () => {
    const wsA = path.join(dir, 'a');
    const wsB = path.join(dir, 'b');
    const { workspace: made } = await initWorkspace(wsA, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
      database: url,
      databaseSchema: freshSchema('twofolders'),
    });
    await made.close();
    fs.cpSync(wsA, wsB, { recursive: true });
    const open: Workspace[] = [];
    try {
      const [a, b] = [await openWorkspace(wsA), await openWorkspace(wsB)];
      open.push(a, b);
      const serverA = createServiceApp({ workspace: a, webDir: false, offline: true, statusRecheckSeconds: 0 });
      const serverB = createServiceApp({ workspace: b, webDir: false, offline: true, statusRecheckSeconds: 0 });
      const list = (await a.statusLists())[0]!;
      const listPath = new URL(list.id).pathname;
      const revokedBits = async (server: typeof serverA): Promise<number> => {
        const answer = await server.request(listPath);
        expect(answer.status, await answer.clone().text()).toBe(200);
        const { bytes } = await decodeBitstring(
          ((await answer.json()) as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList,
        );
        return bytes.reduce((n, byte) => n + [...byte.toString(2)].filter((d) => d === '1').length, 0);
      };

      // A publishes first (its first health check), then B's first health check.
      for (const server of [serverA, serverB]) {
        const health = await server.request('/health');
        expect(await health.json()).toEqual({ status: 'ok' });
      }
      expect([await revokedBits(serverA), await revokedBits(serverB)]).toEqual([0, 0]);

      // A credential recorded as issued, revoked through A's API: B serves it revoked too, and the other way round.
      const issued = async (learner: string) => {
        const reserved = await a.register.reserveIssuance({
          rosterKey: learner,
          learnerRef: learner,
          achievementId: 'https://credentials.example.edu/achievements/a',
          listId: list.id,
        });
        await a.register.completeIssuance({
          key: reserved.key,
          credentialId: reserved.credentialId,
          format: 'ob3-jsonld',
          credentialHash: credentialHash('{}'),
        });
        return reserved.credentialId;
      };
      const revoke = async (server: typeof serverA, on: Workspace, credentialId: string) => {
        const { token } = await createServiceToken(on);
        const change = await server.request('/credentials/status', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            credentialId,
            credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
            reason: 'annulled',
          }),
        });
        expect(change.status, await change.clone().text()).toBe(200);
      };
      await revoke(serverA, a, await issued('first'));
      expect([await revokedBits(serverA), await revokedBits(serverB)]).toEqual([1, 1]);
      await revoke(serverB, b, await issued('second'));
      expect([await revokedBits(serverB), await revokedBits(serverA)]).toEqual([2, 2]);
      for (const server of [serverA, serverB]) expect((await server.request('/health')).status).toBe(200);

      // B's folder now witnesses B's publications: losing its list is refused there (503), while A goes on serving.
      fs.rmSync(path.join(wsB, 'status', `${list.id.split('/').pop()}.json`));
      await revoke(serverA, a, await issued('third'));
      expect((await serverB.request(listPath)).status).toBe(503);
      expect(await (await serverB.request('/health')).json()).toEqual({
        status: 'unavailable',
        reason: 'status-lists',
      });
      expect(await revokedBits(serverA)).toBe(3);
    } finally {
      for (const w of open) await w.close();
    }
  }, 60_000);
});
