/**
 * A register restored from an old backup (register.sqlite copied back, or an old PostgreSQL dump) after more
 * credentials were issued has forgotten them, and would hand their status indexes out again: revoking the new
 * credential would revoke the forgotten one, which could then never be revoked on its own. The workspace folder keeps
 * a high-water mark per status list (src/node/register-mark.ts) that such a register cannot pass: issuing from it is
 * refused before anything is signed, with the advice to restore the latest backup.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as runCli } from '../src/cli/main';
import {
  initWorkspace,
  issueCredential,
  openWorkspace,
  publishStatusLists,
  publishTokenStatusLists,
  suspendCredential,
} from '../src/node/index';
import { createServiceApp, createServiceToken } from '../src/server/index';
import { REGISTER_MARK } from '../src/node/register-mark';
import { serviceCredential } from './helpers/service-credential';
import { describePostgres, freshSchema } from './helpers/postgres';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-register-mark-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const INIT = ['--name', 'University of Tartu', '--country', 'EE', '--status-url', 'https://u.example/status/'];
const PART = 'Critical thinking and argumentation';

/** Issues one credential to `learner` with the CLI; returns the CLI's result and the files it wrote. */
async function issueTo(ws: string, learner: string) {
  const out = path.join(ws, 'credentials');
  const before = new Set(fs.existsSync(out) ? fs.readdirSync(out) : []);
  const r = await run(
    'issue',
    '-w',
    ws,
    '-d',
    'examples/rei-programme.yaml',
    '--learner',
    learner,
    '--part',
    PART,
    '--grade',
    'A',
  );
  const files = (fs.existsSync(out) ? fs.readdirSync(out) : []).filter((f) => !before.has(f));
  return { ...r, files: files.map((f) => path.join(out, f)) };
}

const statusOf = (file: string) =>
  (
    JSON.parse(fs.readFileSync(file, 'utf8')) as {
      credentialStatus: { statusListCredential: string; statusListIndex: string };
    }
  ).credentialStatus;

const markOf = (ws: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(ws, REGISTER_MARK), 'utf8')) as {
      lists: Record<string, { allocated: number }>;
    }
  ).lists;

async function sqliteOffice(name: string): Promise<string> {
  const ws = path.join(tmp, name);
  const init = await run('init', ws, ...INIT);
  expect(init.code, init.stderr).toBe(0);
  return ws;
}

const registerOf = (ws: string) => path.join(ws, 'register.sqlite');
/** A backup as an operator takes one: the register file of a workspace no command has open. */
function backUp(ws: string, to: string): void {
  expect(fs.existsSync(`${registerOf(ws)}-wal`) && fs.statSync(`${registerOf(ws)}-wal`).size > 0).toBe(false);
  fs.copyFileSync(registerOf(ws), to);
}
function restore(ws: string, from: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(registerOf(ws) + suffix, { force: true });
  fs.copyFileSync(from, registerOf(ws));
}

describe('a register restored from an old backup cannot hand out status indexes again (SQLite)', () => {
  it('after issuing X, restoring the older register.sqlite makes the next issue refuse, and nothing is written', async () => {
    const ws = await sqliteOffice('restored');
    expect((await issueTo(ws, 'first@example.ee')).code).toBe(0);
    const backup = path.join(tmp, 'restored-backup.sqlite');
    backUp(ws, backup);
    const x = await issueTo(ws, 'x@example.ee');
    expect(x.code, x.stderr).toBe(0);
    expect(x.files).toHaveLength(1);
    restore(ws, backup);
    const y = await issueTo(ws, 'y@example.ee');
    // Without the mark, Y is issued from a register that no longer knows X, and X's index is free again.
    expect(y.code, y.stdout + y.stderr + fs.readFileSync(path.join(ws, REGISTER_MARK), 'utf8')).not.toBe(0);
    expect(y.stderr).toMatch(/register is older than this workspace/);
    expect(y.stderr).toMatch(/Restore the register from the latest backup/);
    // For a registrar: what happened and what to do first, in words; the list URL, ids and counts after, one step away.
    const [words, technical] = y.stderr.split('Technical detail: ');
    expect(words).toMatch(/^Nothing was issued: the register is older than this workspace\./);
    expect(words).not.toMatch(/https?:|urn:|index|\d/);
    expect(technical).toMatch(/status entry on the list https:\/\/.*had seen \d+/);
    expect(y.files).toEqual([]);
    // Each refused try still took an index in the old register; once its count passes the mark, it is still refused:
    // it does not know X.
    for (const learner of ['z1@example.ee', 'z2@example.ee', 'z3@example.ee']) {
      const z = await issueTo(ws, learner);
      expect(z.code).not.toBe(0);
      expect(z.files).toEqual([]);
    }
    const refused = await issueTo(ws, 'z4@example.ee');
    expect(refused.stderr).toMatch(/does not know urn:uuid:/);
    // X's index, the one the old register would hand out again, is still X's alone on disk.
    expect(statusOf(x.files[0]!).statusListIndex).toMatch(/^\d+$/);
  });

  it('a fresh workspace issues as before, and its mark follows the register', async () => {
    const ws = await sqliteOffice('fresh');
    const a = await issueTo(ws, 'a@example.ee');
    const b = await issueTo(ws, 'b@example.ee');
    expect([a.code, b.code]).toEqual([0, 0]);
    const list = statusOf(a.files[0]!).statusListCredential;
    expect(markOf(ws)[list]?.allocated).toBe(2);
    // The same learner and part again is handed back (already issued): not a new index, not refused.
    const again = await issueTo(ws, 'a@example.ee');
    expect(again.code, again.stderr).toBe(0);
    expect(markOf(ws)[list]?.allocated).toBe(2);
  });

  it('a crash between the reservation and the mark (mark behind the register) is accepted, and the mark catches up', async () => {
    const ws = await sqliteOffice('crashed');
    expect((await issueTo(ws, 'a@example.ee')).code).toBe(0);
    const behind = fs.readFileSync(path.join(ws, REGISTER_MARK));
    const b = await issueTo(ws, 'b@example.ee');
    expect(b.code).toBe(0);
    // As if the process died after the register committed b's reservation and before the mark recorded it.
    fs.writeFileSync(path.join(ws, REGISTER_MARK), behind);
    const c = await issueTo(ws, 'c@example.ee');
    expect(c.code, c.stderr).toBe(0);
    expect(markOf(ws)[statusOf(c.files[0]!).statusListCredential]?.allocated).toBe(3);
  });

  it("another workspace's mark copied in is ignored, not held against this register", async () => {
    const ws = await sqliteOffice('foreign');
    const other = await sqliteOffice('foreign-other');
    for (const learner of ['a@example.ee', 'b@example.ee', 'c@example.ee'])
      expect((await issueTo(other, learner)).code).toBe(0);
    fs.copyFileSync(path.join(other, REGISTER_MARK), path.join(ws, REGISTER_MARK));
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code, a.stderr).toBe(0);
    expect(markOf(ws)[statusOf(a.files[0]!).statusListCredential]?.allocated).toBe(1);
  });
  it("the service's VC API issue (issueCredential) is refused the same way, before it signs", async () => {
    const ws = path.join(tmp, 'vc-api');
    const made = await initWorkspace(ws, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
    });
    await made.workspace.close();
    const vc = (n: number) =>
      serviceCredential(
        `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
        `did:example:l${n}`,
        'https://uni.example.edu/a/ct',
      );
    const issueOnce = async (n: number) => {
      const open = await openWorkspace(ws);
      try {
        return await issueCredential(open, vc(n));
      } finally {
        await open.close();
      }
    };
    await issueOnce(1);
    const backup = path.join(tmp, 'vc-api-backup.sqlite');
    backUp(ws, backup);
    await issueOnce(2);
    restore(ws, backup);
    const e = (await issueOnce(3).then(
      () => undefined,
      (err: unknown) => err,
    )) as { code?: string } | undefined;
    expect(e?.code).toBe('REGISTER_INCONSISTENT');
    expect(fs.readdirSync(path.join(ws, 'issued'))).toHaveLength(2);
  });
});

const idOf = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string }).id;
/** The status folder's files and their bytes, to show a refusal wrote nothing. */
const statusFolder = (ws: string) => {
  const dir = path.join(ws, 'status');
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
};
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string },
  );

/**
 * What a registrar does on a restored register besides issuing. Each of these would work on the old register without
 * a word: a revocation recorded beside revocations it has forgotten, a list published without them (un-revoking
 * what was revoked since the backup). Refused, with the same advice; a listing is shown with a plain warning.
 */
describe('a restored register: status changes and publication are refused, a listing warns (SQLite)', () => {
  it('after issuing X, revoke, status publish (lists and tokens) are refused, list warns, and nothing changes', async () => {
    const ws = await sqliteOffice('ops-issued');
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code, a.stderr).toBe(0);
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const backup = path.join(tmp, 'ops-issued-backup.sqlite');
    backUp(ws, backup);
    const x = await issueTo(ws, 'x@example.ee');
    expect(x.code, x.stderr).toBe(0);
    restore(ws, backup);
    const published = statusFolder(ws);

    const revoked = await run('revoke', idOf(a.files[0]!), '--reason', 'grade annulled', '-w', ws);
    expect(revoked.code).not.toBe(0);
    expect(revoked.stderr).toMatch(/register is older than this workspace: it does not know urn:uuid:/);
    expect(revoked.stderr).toMatch(
      /Nothing was revoked, suspended or reinstated\. Restore the register from the latest backup/,
    );
    // X is not in the old register: the registrar is told why, not "no such credential".
    const revokedX = await run('revoke', idOf(x.files[0]!), '--reason', 'grade annulled', '-w', ws);
    expect(revokedX.stderr).toMatch(/register is older than this workspace/);

    const publish = await run('status', 'publish', '-w', ws);
    expect(publish.code).not.toBe(0);
    expect(publish.stderr).toMatch(/No status list was published; the lists already published stay as they are/);
    const open = await openWorkspace(ws);
    try {
      expect((await rejection(publishStatusLists(open)))?.code).toBe('REGISTER_INCONSISTENT');
      expect((await rejection(publishTokenStatusLists(open)))?.code).toBe('REGISTER_INCONSISTENT');
      expect((await open.register.currentStatus(idOf(a.files[0]!))).revoked).toBe(false);
    } finally {
      await open.close();
    }
    expect(statusFolder(ws)).toEqual(published);

    const listed = await run('list', '-w', ws);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(/^Warning: The register is older than this workspace/);
    expect(listed.stderr).toMatch(/credentials issued and statuses changed since are missing from it/);
    expect(listed.stdout).toMatch(/1 credential\n/);
  });

  it('a revocation recorded after the backup, never published, is not lost by publishing from the old register', async () => {
    const ws = await sqliteOffice('ops-revoked');
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code).toBe(0);
    const backup = path.join(tmp, 'ops-revoked-backup.sqlite');
    backUp(ws, backup);
    const revoked = await run('revoke', idOf(a.files[0]!), '--reason', 'misconduct found later', '-w', ws);
    expect(revoked.code, revoked.stderr).toBe(0);
    restore(ws, backup);
    const before = statusFolder(ws);
    // Nothing was published since the revocation, so the status folder cannot tell; the mark can.
    const publish = await run('status', 'publish', '-w', ws);
    expect(publish.code, publish.stdout).not.toBe(0);
    expect(publish.stderr).toMatch(/does not know the revocation of urn:uuid:\S+ recorded from this workspace at /);
    expect(statusFolder(ws)).toEqual(before);
    expect(Object.keys(before).some((f) => f.endsWith('.json') && !f.startsWith('.'))).toBe(false);
    // On purpose (no later backup exists): --force publishes what the old register holds.
    const forced = await run('status', 'publish', '-w', ws, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/\(0 credentials revoked in it,/);
  });

  it('a suspension workspace: suspend and reinstate are refused on a register that forgot a suspension', async () => {
    const ws = path.join(tmp, 'ops-suspension');
    expect((await run('init', ws, ...INIT, '--status-purpose', 'suspension')).code).toBe(0);
    const a = await issueTo(ws, 'a@example.ee');
    const b = await issueTo(ws, 'b@example.ee');
    expect([a.code, b.code]).toEqual([0, 0]);
    const backup = path.join(tmp, 'ops-suspension-backup.sqlite');
    backUp(ws, backup);
    expect((await run('suspend', idOf(a.files[0]!), '--reason', 'appeal', '-w', ws)).code).toBe(0);
    restore(ws, backup);
    for (const verb of ['suspend', 'reinstate']) {
      const r = await run(verb, idOf(b.files[0]!), '--reason', 'appeal', '-w', ws);
      expect(r.code, `${verb}: ${r.stdout}`).not.toBe(0);
      expect(r.stderr).toMatch(/does not know the suspension of urn:uuid:/);
    }
    const open = await openWorkspace(ws);
    try {
      const e = await rejection(
        suspendCredential(open, { credentialId: idOf(b.files[0]!), value: false, reason: 'appeal closed' }),
      );
      expect(e?.code).toBe('REGISTER_INCONSISTENT');
      expect(await open.register.statusHistory(idOf(b.files[0]!))).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('the service: status lists answer 503, /health is unavailable, and a status change is refused before it is recorded', async () => {
    const ws = await sqliteOffice('ops-service');
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code).toBe(0);
    const backup = path.join(tmp, 'ops-service-backup.sqlite');
    backUp(ws, backup);
    const x = await issueTo(ws, 'x@example.ee');
    expect(x.code).toBe(0);
    restore(ws, backup);
    const before = statusFolder(ws);
    const workspace = await openWorkspace(ws);
    const lines: string[] = [];
    const app = createServiceApp({ workspace, webDir: false, offline: true, log: (l) => lines.push(l) });
    try {
      expect(await (await app.request('/health')).json()).toEqual({ status: 'unavailable', reason: 'status-lists' });
      const listPath = new URL(statusOf(a.files[0]!).statusListCredential).pathname;
      const list = await app.request(listPath);
      expect(list.status).toBe(503);
      expect(((await list.json()) as { error: { code: string } }).error.code).toBe('STATUS_ERROR');
      expect((await app.request(`${listPath}.jwt`)).status).toBe(503);
      expect(lines.some((l) => /status lists not published: The register is older than this workspace/.test(l))).toBe(
        true,
      );
      const { token } = await createServiceToken(workspace);
      const change = await app.request('/credentials/status', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          credentialId: idOf(x.files[0]!),
          credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
          reason: 'annulled',
        }),
      });
      expect(change.status).toBe(500);
      expect(((await change.json()) as { error: { code: string } }).error.code).toBe('REGISTER_INCONSISTENT');
      expect(statusFolder(ws)).toEqual(before);
    } finally {
      await workspace.close();
    }
  });

  it('a token status list never clears a revocation the last published token set, unless forced', async () => {
    const ws = await sqliteOffice('ops-token');
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code).toBe(0);
    const backup = path.join(tmp, 'ops-token-backup.sqlite');
    backUp(ws, backup);
    expect((await run('revoke', idOf(a.files[0]!), '--reason', 'annulled', '-w', ws)).code).toBe(0);
    expect((await run('status', 'publish', '-w', ws)).code).toBe(0);
    const published = statusFolder(ws);
    restore(ws, backup);
    // The mark set aside, as an operator might: the last published token still holds the revocation.
    fs.rmSync(path.join(ws, REGISTER_MARK));
    const open = await openWorkspace(ws);
    try {
      const e = await rejection(publishTokenStatusLists(open));
      expect(e?.code).toBe('STATUS_ERROR');
      expect(e?.message).toMatch(
        /1 entry revoked in the last published revocation\.jwt would be cleared.*Nothing was written/,
      );
      expect(statusFolder(ws)).toEqual(published);
      const [forced] = await publishTokenStatusLists(open, { force: true });
      expect(forced!.set).toBe(0);
    } finally {
      await open.close();
    }
  });
});

describePostgres('a register restored from an old dump cannot hand out status indexes again (PostgreSQL)', (url) => {
  const psql = (args: string[], input?: string) =>
    execFileSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', url, ...args], {
      ...(input !== undefined ? { input } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();

  it('after issuing X, restoring an older dump of the register makes the next issue refuse', async () => {
    const schema = freshSchema('mark');
    const ws = path.join(tmp, 'pg-restored');
    const init = await run('init', ws, ...INIT, '--database', url, '--database-schema', schema);
    expect(init.code, init.stderr).toBe(0);
    expect((await issueTo(ws, 'first@example.ee')).code).toBe(0);
    const dump = execFileSync('pg_dump', ['--schema', schema, url]).toString();
    const x = await issueTo(ws, 'x@example.ee');
    expect(x.code, x.stderr).toBe(0);
    psql(['-c', `DROP SCHEMA "${schema}" CASCADE`]);
    psql([], dump);
    const y = await issueTo(ws, 'y@example.ee');
    expect(y.code, y.stdout).not.toBe(0);
    expect(y.stderr).toMatch(/register is older than this workspace/);
    expect(y.files).toEqual([]);
  });

  it('after a real dump restore, revoke and status publish are refused and list warns', async () => {
    const schema = freshSchema('markops');
    const ws = path.join(tmp, 'pg-ops');
    const init = await run('init', ws, ...INIT, '--database', url, '--database-schema', schema);
    expect(init.code, init.stderr).toBe(0);
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code).toBe(0);
    const dump = execFileSync('pg_dump', ['--schema', schema, url]).toString();
    const revoked = await run('revoke', idOf(a.files[0]!), '--reason', 'misconduct found later', '-w', ws);
    expect(revoked.code, revoked.stderr).toBe(0);
    psql(['-c', `DROP SCHEMA "${schema}" CASCADE`]);
    psql([], dump);
    const before = statusFolder(ws);
    const publish = await run('status', 'publish', '-w', ws);
    expect(publish.code, publish.stdout).not.toBe(0);
    expect(publish.stderr).toMatch(/does not know the revocation of urn:uuid:/);
    expect(statusFolder(ws)).toEqual(before);
    const again = await run('revoke', idOf(a.files[0]!), '--reason', 'misconduct found later', '-w', ws);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/register is older than this workspace/);
    const listed = await run('list', '-w', ws);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(/^Warning: The register is older than this workspace/);
    expect(listed.stdout).toMatch(/active/);
  });

  it('with the mark set aside, a published revocation is still never cleared: status publish and the service refuse', async () => {
    const schema = freshSchema('markpub');
    const ws = path.join(tmp, 'pg-published');
    const init = await run('init', ws, ...INIT, '--database', url, '--database-schema', schema);
    expect(init.code, init.stderr).toBe(0);
    const a = await issueTo(ws, 'a@example.ee');
    expect(a.code).toBe(0);
    const dump = execFileSync('pg_dump', ['--schema', schema, url]).toString();
    expect((await run('revoke', idOf(a.files[0]!), '--reason', 'annulled', '-w', ws)).code).toBe(0);
    const published = await run('status', 'publish', '-w', ws);
    expect(published.stdout).toMatch(/\(1 credential revoked in it,/);
    psql(['-c', `DROP SCHEMA "${schema}" CASCADE`]);
    psql([], dump);
    // An operator who deleted the mark: the last published list (and its token) still hold the revocation.
    fs.rmSync(path.join(ws, REGISTER_MARK));
    const before = statusFolder(ws);
    const publish = await run('status', 'publish', '-w', ws);
    expect(publish.code).not.toBe(0);
    expect(publish.stderr).toMatch(/1 entry revoked in the last published revocation\.json would be cleared/);
    const workspace = await openWorkspace(ws);
    try {
      expect((await rejection(publishTokenStatusLists(workspace)))?.message).toMatch(
        /1 entry revoked in the last published revocation\.jwt would be cleared/,
      );
      const app = createServiceApp({ workspace, webDir: false, offline: true });
      const listPath = new URL(statusOf(a.files[0]!).statusListCredential).pathname;
      expect((await app.request(listPath)).status).toBe(503);
      expect((await app.request(`${listPath}.jwt`)).status).toBe(503);
    } finally {
      await workspace.close();
    }
    expect(statusFolder(ws)).toEqual(before);
  });

  it("two servers' folders sharing one register: each mark is only what its server saw, and neither is refused", async () => {
    const schema = freshSchema('mark2');
    const a = path.join(tmp, 'pg-a');
    expect((await run('init', a, ...INIT, '--database', url, '--database-schema', schema)).code).toBe(0);
    const b = path.join(tmp, 'pg-b');
    fs.cpSync(a, b, { recursive: true });
    expect((await issueTo(a, 'a1@example.ee')).code).toBe(0);
    expect((await issueTo(a, 'a2@example.ee')).code).toBe(0);
    const b1 = await issueTo(b, 'b1@example.ee');
    expect(b1.code, b1.stderr).toBe(0);
    const a3 = await issueTo(a, 'a3@example.ee');
    expect(a3.code, a3.stderr).toBe(0);
    const list = statusOf(a3.files[0]!).statusListCredential;
    expect([markOf(a)[list]?.allocated, markOf(b)[list]?.allocated]).toEqual([4, 3]);
  });
});
