/**
 * The status folder's record (.microcred-published.json) is extended by every publication, and two publishers can
 * write into one folder at the same moment: `microcred revoke` / `status publish` on the command line while
 * `microcred serve` publishes after an issue. Each read the record, added its list and wrote it back, so the one that
 * wrote last dropped the list the other had just added, and a later publication on PostgreSQL could take that list for
 * one the folder lost (or never held). Here two real processes extend one record as fast as they can; every list
 * either of them added must be in it at the end.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readStatusFolderWitness, recordStatusFolderWitness } from '../src/node/status-folder-witness';
import { withFileLock } from '../src/node/file-lock';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'test', 'helpers', 'witness-child.ts');
const IDENTITY = 'workspace-race-test';
const PER_CHILD = 150;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-witness-race-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function child(dir: string, prefix: string, startAt: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dir, IDENTITY, prefix, String(PER_CHILD), String(startAt)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.once('error', reject);
    p.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child ${prefix} exited ${code}: ${err}`)),
    );
  });
}

it('two processes extending the record at once lose none of each other’s lists', async () => {
  const dir = path.join(tmp, 'status');
  await recordStatusFolderWitness(dir, IDENTITY, []);
  const startAt = Date.now() + 3000; // both have loaded the module by then
  const outputs = await Promise.all([child(dir, 'cli', startAt), child(dir, 'serve', startAt)]);
  expect(outputs).toEqual(['done\n', 'done\n']);
  const lists = readStatusFolderWitness(dir, IDENTITY)?.lists ?? [];
  const missing = ['cli', 'serve'].flatMap((prefix) =>
    Array.from({ length: PER_CHILD }, (_, i) => `${prefix}-${i}`).filter((id) => !lists.includes(id)),
  );
  expect(missing).toEqual([]);
  expect(lists).toHaveLength(2 * PER_CHILD);
  // No lock or temporary file is left behind.
  expect(fs.readdirSync(dir).sort()).toEqual(['.microcred-published.json']);
}, 60_000);

it('a lock left by a crashed publisher is taken over once stale, a live one is waited for, then refused by name', async () => {
  const dir = path.join(tmp, 'stale');
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, '.microcred-published.json.lock');
  // A crashed holder: its lock is older than the stale limit.
  fs.writeFileSync(lock, '999999 elsewhere 2020-01-01T00:00:00Z\n');
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, old, old);
  await recordStatusFolderWitness(dir, IDENTITY, ['after-crash']);
  expect(readStatusFolderWitness(dir, IDENTITY)?.lists).toEqual(['after-crash']);
  expect(fs.existsSync(lock)).toBe(false);
  // A live holder (fresh lock): waited for, and after the wait refused with a message that names the holder.
  fs.writeFileSync(lock, '4242 otherhost 2026-01-01T00:00:00Z\n');
  const refused = await withFileLock(lock, () => 'ran', { waitMs: 200 }).catch(
    (e: { code: string; message: string }) => e,
  );
  expect(refused).toMatchObject({ code: 'STATUS_ERROR', message: expect.stringMatching(/process 4242 on otherhost/) });
  expect(fs.readFileSync(lock, 'utf8')).toMatch(/^4242 /);
});

it('a holder taken for crashed does not remove its successor’s lock, even when the successor got the same inode back', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'successor-'));
  const lock = path.join(dir, 'record.lock');
  await withFileLock(lock, async () => {
    // Meanwhile another publisher took this lock for a crashed holder's and made its own: removed, then created again
    // at once, which on most file systems hands the freed inode number straight back.
    fs.unlinkSync(lock);
    fs.writeFileSync(lock, 'successor\n', { flag: 'wx' });
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(lock, later, later);
  });
  expect(fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : 'removed').toBe('successor\n');
  // It proves the point where the inode came back (ext4 and tmpfs here hand it back at once); where a file system
  // does not reuse it, the successor's lock must stay all the same.
});
