/**
 * Issue 19, item 2: a register cannot silently restart. An empty register file, one with no schema, or one from
 * another workspace is refused at open with the restore advice, exactly as a missing one is, by the library and by
 * every command of the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initWorkspace, openWorkspace, openSqliteRegister } from '../src/node';
import { cli } from './helpers/cli';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-restart-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const options = { name: 'University of Tartu', country: 'EE', statusBaseUrl: 'https://www.ut.ee/status/' };
async function office(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  const { workspace } = await initWorkspace(dir, options);
  await workspace.close();
  return dir;
}
const registerOf = (dir: string) => path.join(dir, 'register.sqlite');
/** Drops the register's write-ahead log too: a copied-in file comes without the old one's. */
function replaceRegister(dir: string, bytes: Buffer): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(registerOf(dir) + suffix, { force: true });
  fs.writeFileSync(registerOf(dir), bytes);
}
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as { code: string; message: string },
  );

describe("openWorkspace refuses a register that is not this workspace's, as it refuses a missing one", () => {
  it('sanity: a fresh workspace opens, and its register records the workspace it belongs to', async () => {
    const dir = await office('fresh');
    const ws = await openWorkspace(dir);
    expect(await ws.register.workspaceBinding()).toMatchObject({
      workspaceId: ws.config.workspaceId,
      issuer: ws.config.did,
    });
    await ws.close();
  });

  it('an empty (0-byte) register file is refused with the restore advice, and left as it was', async () => {
    const dir = await office('empty');
    replaceRegister(dir, Buffer.alloc(0));
    const e = await rejection(openWorkspace(dir));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/is empty.*Restore it from your backup/);
    expect(fs.statSync(registerOf(dir)).size).toBe(0);
  });

  it('an SQLite file with no register schema is refused', async () => {
    const dir = await office('schemaless');
    const other = path.join(tmp, 'blank.sqlite');
    const blank = await openSqliteRegister(':memory:');
    await blank.close();
    // A real, non-empty SQLite database with nothing in it.
    const { loadDriver } = await import('../src/node/register/driver');
    const open = await loadDriver();
    const db = open(other);
    db.exec('CREATE TABLE notes (x TEXT); DROP TABLE notes;');
    db.close();
    replaceRegister(dir, fs.readFileSync(other));
    const e = await rejection(openWorkspace(dir));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/no register schema.*Restore it from your backup/);
  });

  it("another workspace's register (same issuer name, copied in) is refused", async () => {
    const a = await office('a');
    const b = await office('b');
    replaceRegister(a, fs.readFileSync(registerOf(b)));
    const e = await rejection(openWorkspace(a));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/belongs to another workspace.*Restore this workspace's own register/);
  });

  it("a register made before identities were recorded is bound on first open when it holds the workspace's list; one that does not is refused", async () => {
    const dir = await office('legacy');
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'microcred.json'), 'utf8')) as Record<string, unknown>;
    // The workspace as an earlier version wrote it: no workspaceId, and a register without a binding row.
    delete config.workspaceId;
    fs.chmodSync(path.join(dir, 'microcred.json'), 0o600);
    fs.writeFileSync(path.join(dir, 'microcred.json'), JSON.stringify(config));
    const { loadDriver } = await import('../src/node/register/driver');
    const db = (await loadDriver())(registerOf(dir));
    db.exec('DROP TRIGGER workspace_binding_never_deleted; DELETE FROM workspace_binding;');
    db.close();
    const ws = await openWorkspace(dir);
    expect(await ws.register.workspaceBinding()).toMatchObject({ workspaceId: config.statusList, issuer: config.did });
    await ws.close();

    const stranger = path.join(tmp, 'stranger');
    const { workspace } = await initWorkspace(stranger, { ...options, statusBaseUrl: 'https://other.example/status/' });
    await workspace.close();
    const db2 = (await loadDriver())(registerOf(stranger));
    db2.exec('DROP TRIGGER workspace_binding_never_deleted; DELETE FROM workspace_binding;');
    db2.close();
    const strangerConfig = JSON.parse(fs.readFileSync(path.join(stranger, 'microcred.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    replaceRegister(dir, fs.readFileSync(registerOf(stranger)));
    expect(strangerConfig.statusList).not.toBe(config.statusList);
    const e = await rejection(openWorkspace(dir));
    expect(e.message).toMatch(/belongs to another workspace.*no status list/);
  });
});

describe('every CLI command that opens a workspace refuses an empty register (exit 2, the restore advice)', () => {
  it('issue, revoke, suspend, reinstate, list, find, status publish|lists|new-list, keys, transcript', async () => {
    const dir = await office('cli-empty');
    replaceRegister(dir, Buffer.alloc(0));
    const definition = path.resolve('examples/rei-programme.yaml');
    const commands: string[][] = [
      [
        'issue',
        '-w',
        dir,
        '--definition',
        definition,
        '--learner',
        'mari@example.ee',
        '--grade',
        'A',
        '--part',
        'Critical thinking and argumentation',
      ],
      ['revoke', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--reason', 'test', '-w', dir],
      ['suspend', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--reason', 'test', '-w', dir],
      ['reinstate', 'urn:uuid:00000000-0000-4000-8000-000000000000', '--reason', 'test', '-w', dir],
      ['list', '-w', dir],
      ['find', '-w', dir, '--learner', 'mari@example.ee'],
      ['status', 'publish', '-w', dir],
      ['status', 'lists', '-w', dir],
      ['status', 'new-list', '-w', dir],
      ['keys', 'show', '-w', dir],
      ['transcript', '-w', dir, '--learner', 'mari@example.ee'],
    ];
    for (const args of commands) {
      const r = cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/is empty.*Restore it from your backup/);
    }
    expect(fs.statSync(registerOf(dir)).size).toBe(0);
    // Nothing was published: the status folder holds only init's record that it holds no list yet.
    expect(fs.readdirSync(path.join(dir, 'status'))).toEqual(['.microcred-published.json']);
  }, 120_000);
});
