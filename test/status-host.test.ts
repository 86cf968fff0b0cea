/**
 * The service's status list host under a burst of requests: a list found behind the register (at a process's first
 * request, or after a status change) is published once for the whole burst, not once per request; each publication
 * signs every list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { credentialHash, initWorkspace, openWorkspace, publishStatusLists, type Workspace } from '../src/node/index';
import { createServiceApp, createServiceToken } from '../src/server/index';
import { StatusListHost } from '../src/server/status-host';
import { readTokenStatus } from '../src/proof/sd-jwt/status-list';

let dir: string;
let workspace: Workspace;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-host-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  }));
});
afterAll(async () => {
  await workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A credential recorded as issued on the list, as the command line or another server would record it. */
async function recordIssued(on: Workspace, listId: string, learner: string, format: string) {
  const reserved = await on.register.reserveIssuance({
    rosterKey: learner,
    learnerRef: learner,
    achievementId: 'https://credentials.example.edu/achievements/a',
    listId,
  });
  await on.register.completeIssuance({
    key: reserved.key,
    credentialId: reserved.credentialId,
    format,
    credentialHash: credentialHash('{}'),
    file: path.join(dir, `${learner}.json`),
  });
  return reserved;
}

it('a burst of requests for a list behind the register publishes once, not once per request', async () => {
  const host = new StatusListHost(workspace, 0);
  const publish = vi.spyOn(host, 'publish');
  const list = (await workspace.statusLists()).find((l) => l.purpose === 'revocation')!;
  const burst = () => Promise.all(Array.from({ length: 8 }, () => host.get(list.id)));
  // The first requests of a process: nothing published by it yet.
  const first = await burst();
  expect(publish).toHaveBeenCalledTimes(1);
  expect(new Set(first).size).toBe(1);
  // Up to date: no publication at all.
  await burst();
  expect(publish).toHaveBeenCalledTimes(1);
  // A revocation recorded in the register by someone else (the command line, another server).
  const reserved = await recordIssued(workspace, list.id, 'x', 'ob3-jsonld');
  await workspace.register.setStatus({
    credentialId: reserved.credentialId,
    purpose: 'revocation',
    value: true,
    reason: 'annulled',
  });
  const after = await burst();
  expect(publish).toHaveBeenCalledTimes(2);
  expect(after[0]).not.toBe(first[0]);
  expect(new Set(after).size).toBe(1);
});

it("a workspace that suspends: its suspension list's token is served beside it, 2 bits per status, suspended = 2", async () => {
  const { workspace: suspending } = await initWorkspace(path.join(dir, 'suspending'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/suspending/',
    statusPurpose: 'suspension',
  });
  try {
    const host = new StatusListHost(suspending, 0);
    const list = (await suspending.statusLists()).find((l) => l.purpose === 'suspension')!;
    const reserved = await recordIssued(suspending, list.id, 'y', 'dc+sd-jwt');
    const statusOf = async () => {
      const served = await host.byPath(new URL(`${list.id}.jwt`).pathname);
      expect(served?.type).toBe('application/statuslist+jwt');
      const claims = JSON.parse(Buffer.from(served!.body.split('.')[1]!, 'base64url').toString()) as {
        status_list: { bits: number };
      };
      expect(claims.status_list.bits).toBe(2);
      return readTokenStatus(claims.status_list, reserved.statusIndex!);
    };
    expect(await statusOf()).toBe(0);
    await suspending.register.setStatus({
      credentialId: reserved.credentialId,
      purpose: 'suspension',
      value: true,
      reason: 'under review',
    });
    expect(await statusOf()).toBe(2);
  } finally {
    await suspending.close();
  }
});

it('a server whose status folder does not agree with the register answers 503 STATUS_ERROR with Retry-After, reports unhealthy, and recovers once the folder is put right', async () => {
  // Server A published its lists, so the register records a publication. Server B has a copy of the folder (and, on
  // SQLite, of the register) but not A's status/: the guard refuses to publish there rather than risk un-revoking.
  const first = path.join(dir, 'server-a');
  const { workspace: a } = await initWorkspace(first, {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  });
  const list = (await a.statusLists()).find((l) => l.purpose === 'revocation')!;
  const reserved = await recordIssued(a, list.id, 'z', 'ob3-jsonld');
  await publishStatusLists(a);
  await a.close();
  const second = path.join(dir, 'server-b');
  fs.cpSync(first, second, { recursive: true });
  fs.rmSync(path.join(second, 'status'), { recursive: true, force: true });
  const b = await openWorkspace(second);
  const lines: string[] = [];
  const app = createServiceApp({
    workspace: b,
    webDir: false,
    offline: true,
    statusRecheckSeconds: 0,
    log: (l) => lines.push(l),
  });
  try {
    // A load balancer's first probe finds out, before any verifier is sent here, and the log says why.
    expect(await (await app.request('/health')).json()).toEqual({ status: 'unavailable', reason: 'status-lists' });
    expect(lines.filter((l) => l.startsWith('status lists not published: '))).toHaveLength(1);
    const listPath = new URL(list.id).pathname;
    const refused = await app.request(listPath);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('STATUS_ERROR');
    expect(body.error.message).toMatch(/status folder does not agree with the register/);
    // The public is not told the server's folders; the operator's log is.
    expect(body.error.message).not.toContain(second);
    expect(lines.some((l) => l.startsWith('status lists not published: ') && l.includes('is missing'))).toBe(true);
    const token = await app.request(`${listPath}.jwt`);
    expect(token.status).toBe(503);
    // Logged once for the reason, not once per request.
    expect(lines.filter((l) => l.startsWith('status lists not published: '))).toHaveLength(1);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'unavailable', reason: 'status-lists' });

    // A status change from the registrar is recorded, and the answer says verifiers do not see it yet.
    const { token: bearer } = await createServiceToken(b);
    const change = await app.request('/credentials/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({
        credentialId: reserved.credentialId,
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
        reason: 'annulled',
      }),
    });
    expect(change.status).toBe(503);
    const changeBody = (await change.json()) as { error: { code: string; message: string } };
    expect(changeBody.error.code).toBe('STATUS_ERROR');
    expect(changeBody.error.message).toMatch(/^The change is recorded in the register, but .*is missing/);
    expect((await b.register.findByCredentialId(reserved.credentialId))?.status?.revoked).toBe(true);

    // The operator shares A's status folder with B: the health check tries again, and B serves the list.
    fs.cpSync(path.join(first, 'status'), path.join(second, 'status'), { recursive: true });
    const healthy = await app.request('/health');
    expect(healthy.status).toBe(200);
    const served = await app.request(listPath);
    expect(served.status).toBe(200);
    const revoked = (await b.register.bitstring(list.id)).bytes;
    expect(revoked.some((byte) => byte !== 0)).toBe(true);
  } finally {
    await b.close();
  }
});
