/**
 * Several servers of one issuer, each with its own copy of the workspace folder, publish the same register's status
 * lists into their own status folders (docs/register.md, "Behind a load balancer"). A list another server published
 * is not one this folder lost: the folder's record of the lists it held (.microcred-published.json, written empty by
 * init) tells the two apart, while a folder that lost a list it held, or has no record at all (wiped), is still held
 * to the strict rule. Here the second server's folder is a copy of the status folder as init left it, published to
 * with `outDir`, which is what a second server's publication does (same PostgreSQL register, its own folder). A
 * workspace on its own register file has one folder: it is held to the strict rule whatever its record says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initWorkspace, publishStatusLists, type Workspace } from '../src/node';
import { STATUS_FOLDER_WITNESS } from '../src/node/status-folder-witness';
import { decodeBitstring } from '../src/status/bitstring';
import { PG_URL, describePostgres, freshSchema } from './helpers/postgres';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-witness-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );

/** A workspace as init leaves it (on PostgreSQL unless `sqlite`), and a second server's status folder copied from it then. */
async function twoServers(
  name: string,
  sqlite = false,
): Promise<{ workspace: Workspace; folderA: string; folderB: string }> {
  const { workspace } = await initWorkspace(path.join(tmp, name), {
    name: 'University of Tartu',
    country: 'EE',
    statusBaseUrl: 'https://www.ut.ee/status/',
    ...(sqlite ? {} : { database: PG_URL!, databaseSchema: freshSchema('witness') }),
  });
  const folderA = path.join(workspace.dir, 'status');
  const folderB = path.join(tmp, `${name}-server-b-status`);
  fs.cpSync(folderA, folderB, { recursive: true });
  return { workspace, folderA, folderB };
}

/** Reserves one status index in the current list and returns the credential id holding it. */
async function issuedOne(workspace: Workspace, n: number): Promise<string> {
  const list = await workspace.currentStatusList();
  const credentialId = `urn:uuid:00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const reservation = await workspace.register.reserveIssuance({
    rosterKey: `k-${n}`,
    learnerRef: `learner-${n}`,
    achievementId: 'https://www.ut.ee/achievements/ct',
    credentialId,
    listId: list.id,
  });
  await workspace.register.completeIssuance({
    key: reservation.key,
    credentialId: reservation.credentialId,
    format: 'eddsa-jcs-2022',
    credentialHash: 'a'.repeat(64),
    file: `issued/${n}.json`,
  });
  return credentialId;
}

const revoke = (workspace: Workspace, credentialId: string) =>
  workspace.register.setStatus({ credentialId, purpose: 'revocation', value: true, reason: 'annulled' });

const setBits = async (file: string): Promise<number> => {
  const { bytes } = await decodeBitstring(
    (JSON.parse(fs.readFileSync(file, 'utf8')) as { credentialSubject: { encodedList: string } }).credentialSubject
      .encodedList,
  );
  let set = 0;
  for (const byte of bytes) for (let b = byte; b; b &= b - 1) set++;
  return set;
};

describePostgres('status folders of several servers on one register', () => {
  it('init writes the record (no list held yet), naming the workspace by a digest only', async () => {
    const { workspace, folderA } = await twoServers('record');
    try {
      const text = fs.readFileSync(path.join(folderA, STATUS_FOLDER_WITNESS), 'utf8');
      const record = JSON.parse(text) as { workspace: string; lists: string[] };
      expect(record.lists).toEqual([]);
      expect(record.workspace).toMatch(/^[0-9a-f]{64}$/);
      expect(text).not.toContain(workspace.config.workspaceId!);
      const [published] = await publishStatusLists(workspace);
      expect(
        (JSON.parse(fs.readFileSync(path.join(folderA, STATUS_FOLDER_WITNESS), 'utf8')) as { lists: string[] }).lists,
      ).toEqual([published!.hostAt]);
    } finally {
      await workspace.close();
    }
  });

  it('a second server publishes a list the first one published, and serves its revocations', async () => {
    const { workspace, folderB } = await twoServers('second');
    try {
      const revoked = await issuedOne(workspace, 1);
      await publishStatusLists(workspace);
      await revoke(workspace, revoked);
      const [b] = await publishStatusLists(workspace, { outDir: folderB });
      expect(b!.set).toBe(1);
      expect(await setBits(b!.file)).toBe(1);
    } finally {
      await workspace.close();
    }
  });

  it('a list the first server opened later is published by the second, whose folder never held it', async () => {
    const { workspace, folderB } = await twoServers('rollover');
    try {
      await publishStatusLists(workspace, { outDir: folderB });
      // The first server opens a second list (the first is full) and publishes both into its folder.
      const second = await workspace.register.ensureStatusList({
        id: 'https://www.ut.ee/status/revocation-2',
        purpose: 'revocation',
        size: 131072,
      });
      await publishStatusLists(workspace);
      const published = await publishStatusLists(workspace, { outDir: folderB });
      expect(published.map((p) => p.hostAt)).toContain(second.id);
      // Now the second folder held it: losing it there is refused.
      fs.rmSync(path.join(folderB, 'revocation-2.json'));
      expect((await refusal(publishStatusLists(workspace, { outDir: folderB })))?.message).toMatch(
        /records that it was published on .*revocation-2\.json is missing\. Nothing was written/,
      );
    } finally {
      await workspace.close();
    }
  });

  it('a folder that lost a list it held, or lost everything (no record), is refused as before', async () => {
    const { workspace, folderA, folderB } = await twoServers('lost');
    try {
      await publishStatusLists(workspace);
      await publishStatusLists(workspace, { outDir: folderB });
      fs.rmSync(path.join(folderB, 'revocation.json'));
      const lostOne = await refusal(publishStatusLists(workspace, { outDir: folderB }));
      expect(lostOne?.code).toBe('STATUS_ERROR');
      expect(lostOne?.message).toMatch(/revocation\.json is missing\. Nothing was written/);
      fs.rmSync(folderA, { recursive: true });
      const wiped = await refusal(publishStatusLists(workspace));
      expect(wiped?.message).toMatch(
        /revocation\.json is missing, and the folder has no usable record of the lists it held \(if this is another server .*\)\. Nothing was written/,
      );
      expect(fs.existsSync(path.join(folderA, 'revocation.json'))).toBe(false);
    } finally {
      await workspace.close();
    }
  });

  it("another workspace's record, or an unreadable one, counts as none", async () => {
    const { workspace, folderB } = await twoServers('foreign');
    const other = await twoServers('foreign-other');
    try {
      await publishStatusLists(workspace);
      for (const record of [
        fs.readFileSync(path.join(other.folderA, STATUS_FOLDER_WITNESS), 'utf8'),
        '{"lists": [',
        JSON.stringify({
          workspace: (
            JSON.parse(fs.readFileSync(path.join(folderB, STATUS_FOLDER_WITNESS), 'utf8')) as { workspace: string }
          ).workspace,
          lists: [1],
        }),
      ]) {
        fs.writeFileSync(path.join(folderB, STATUS_FOLDER_WITNESS), record);
        expect((await refusal(publishStatusLists(workspace, { outDir: folderB })))?.message).toMatch(
          /revocation\.json is missing/,
        );
      }
    } finally {
      await workspace.close();
      await other.workspace.close();
    }
  });
});

describePostgres('a publication that fails on a server whose folder never held the list', () => {
  it('leaves the record as it was, so the next one (the cause fixed) publishes', async () => {
    const { workspace, folderB } = await twoServers('failed-write');
    try {
      await publishStatusLists(workspace);
      const full = await refusal(
        publishStatusLists(workspace, {
          outDir: folderB,
          io: {
            openSync: fs.openSync,
            writeSync: (fd, data) => fs.writeSync(fd, data),
            fsyncSync: fs.fsyncSync,
            closeSync: fs.closeSync,
            // The last step fails, after the record named the list.
            renameSync: (from, to) => {
              if (String(to).endsWith('revocation.json'))
                throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
              fs.renameSync(from, to);
            },
            readFileSync: (file) => fs.readFileSync(file),
            rmSync: fs.rmSync,
          },
        }),
      );
      expect(full?.message).toMatch(/i\/o error/);
      expect(
        (JSON.parse(fs.readFileSync(path.join(folderB, STATUS_FOLDER_WITNESS), 'utf8')) as { lists: string[] }).lists,
      ).toEqual([]);
      const [published] = await publishStatusLists(workspace, { outDir: folderB });
      expect(fs.existsSync(published!.file)).toBe(true);
    } finally {
      await workspace.close();
    }
  });
});

describe('a workspace on its own register file (one folder)', () => {
  it('a status folder restored to how init left it is refused: the record grants nothing here', async () => {
    const { workspace, folderA } = await twoServers('single', true);
    try {
      const asInitLeftIt = path.join(tmp, 'single-status-backup');
      fs.cpSync(folderA, asInitLeftIt, { recursive: true });
      const revoked = await issuedOne(workspace, 1);
      await publishStatusLists(workspace);
      await revoke(workspace, revoked);
      await publishStatusLists(workspace);
      // The folder restored from the backup made at init: the list the register says was published is not there.
      fs.rmSync(folderA, { recursive: true });
      fs.cpSync(asInitLeftIt, folderA, { recursive: true });
      const refused = await refusal(publishStatusLists(workspace));
      expect(refused?.code).toBe('STATUS_ERROR');
      expect(refused?.message).toMatch(/revocation\.json is missing\. Nothing was written/);
    } finally {
      await workspace.close();
    }
  });
});
