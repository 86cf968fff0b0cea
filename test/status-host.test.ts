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
  const reserved = await workspace.register.reserveIssuance({
    rosterKey: 'x',
    learnerRef: 'x',
    achievementId: 'https://credentials.example.edu/achievements/a',
    listId: list.id,
  });
  await workspace.register.completeIssuance({
    key: reserved.key,
    credentialId: reserved.credentialId,
    format: 'ob3-jsonld',
    credentialHash: credentialHash('{}'),
    file: path.join(dir, 'x.json'),
  });
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
