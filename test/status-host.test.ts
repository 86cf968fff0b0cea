/**
 * The service's status list host under a burst of requests: a list found behind the register (at a process's first
 * request, or after a status change) is published once for the whole burst, not once per request; each publication
 * signs every list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { credentialHash, initWorkspace, type Workspace } from '../src/node/index';
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
