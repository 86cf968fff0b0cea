/**
 * Issue 19, items 1 and 2 (publishing side): `status publish` writes lists that go stale (validFrom/validUntil), never
 * publishes a revocation list with a revocation cleared unless forced, and treats the status folder as it treats the
 * register: a published list that went missing, is empty or is another workspace's is refused with restore advice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { definitionFromData, verify } from '../src';
import {
  STATUS_LIST_VALIDITY_SECONDS,
  initWorkspace,
  issueRoster,
  publishStatusLists,
  type Workspace,
} from '../src/node';

const DEFINITION = path.resolve('examples/rei-programme.yaml');
const PART = 'Critical thinking and argumentation';
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-publish-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function officeWithTwo(
  name: string,
  statusBaseUrl = 'https://www.ut.ee/status/',
): Promise<{ workspace: Workspace; a: { id: string }; b: { id: string } }> {
  const { workspace } = await initWorkspace(path.join(tmp, name), {
    name: 'University of Tartu',
    country: 'EE',
    statusBaseUrl,
  });
  const data = parseYaml(fs.readFileSync(DEFINITION, 'utf8')) as Record<string, unknown>;
  const issuer = workspace.config.issuer;
  const definition = definitionFromData({
    ...data,
    issuer: { id: issuer.id, name: issuer.name, country: issuer.address!.addressCountryCode! },
  }).definition;
  const roster = path.join(tmp, `${name}.csv`);
  fs.writeFileSync(roster, `email,grade,part\na@example.ee,A,${PART}\nb@example.ee,B,${PART}\n`);
  const summary = await issueRoster(workspace, definition, roster, {
    format: 'eddsa-jcs-2022',
    outDir: path.join(tmp, `${name}-out`),
  });
  const [a, b] = summary.files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { id: string });
  return { workspace, a: a!, b: b! };
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );

describe('published lists are fresh', () => {
  it('carry validFrom = now and validUntil = now + 48 h by default, or the validity asked for', async () => {
    const { workspace } = await officeWithTwo('fresh');
    try {
      const now = new Date('2026-12-01T10:00:00.400Z');
      const [p] = await publishStatusLists(workspace, { now });
      const list = JSON.parse(fs.readFileSync(p!.file, 'utf8')) as { validFrom: string; validUntil: string };
      expect(STATUS_LIST_VALIDITY_SECONDS).toBe(172_800);
      expect(list).toMatchObject({ validFrom: '2026-12-01T10:00:00Z', validUntil: '2026-12-03T10:00:00Z' });
      expect(p!.validUntil).toBe('2026-12-03T10:00:00Z');
      const [q] = await publishStatusLists(workspace, { now, validForSeconds: 3600 });
      expect(JSON.parse(fs.readFileSync(q!.file, 'utf8'))).toMatchObject({ validUntil: '2026-12-01T11:00:00Z' });
      expect((await refusal(publishStatusLists(workspace, { validForSeconds: 0 })))?.code).toBe('INVALID_INPUT');
    } finally {
      await workspace.close();
    }
  });

  it('a copy kept past its validUntil no longer vouches for anything (fails closed)', async () => {
    const { workspace, a } = await officeWithTwo('stale');
    try {
      const [p] = await publishStatusLists(workspace);
      const list = JSON.parse(fs.readFileSync(p!.file, 'utf8')) as unknown;
      expect((await verify(a as object, { fetchStatusList: async () => list })).verified).toBe(true);
      const r = await verify(a as object, {
        now: new Date(Date.now() + 49 * 3600_000),
        fetchStatusList: async () => list,
      });
      expect(r.checks.find((c) => c.check === 'status')).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
    } finally {
      await workspace.close();
    }
  });
});

describe('a revocation once published stays published', () => {
  const registerFiles = (ws: Workspace) =>
    ['', '-wal', '-shm'].map((x) => path.join(ws.dir, ws.config.registerFile!) + x);
  function backup(ws: Workspace, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const f of registerFiles(ws)) if (fs.existsSync(f)) fs.copyFileSync(f, path.join(to, path.basename(f)));
  }
  function restore(ws: Workspace, from: string): void {
    for (const f of registerFiles(ws)) {
      fs.rmSync(f, { force: true });
      if (fs.existsSync(path.join(from, path.basename(f)))) fs.copyFileSync(path.join(from, path.basename(f)), f);
    }
  }

  it('a register restored from a backup made before a revocation cannot publish a list that clears it, unless forced', async () => {
    const { openWorkspace } = await import('../src/node');
    const made = await officeWithTwo('restored');
    let workspace = made.workspace;
    const dir = workspace.dir;
    await publishStatusLists(workspace);
    await workspace.close();
    backup(workspace, path.join(tmp, 'restored-backup'));
    workspace = await openWorkspace(dir);
    await workspace.register.setStatus({
      credentialId: made.b.id,
      purpose: 'revocation',
      value: true,
      reason: 'misconduct found later',
    });
    const [p] = await publishStatusLists(workspace);
    expect(p!.set).toBe(1);
    const published = fs.readFileSync(p!.file);
    await workspace.close();
    restore(workspace, path.join(tmp, 'restored-backup'));
    workspace = await openWorkspace(dir);
    try {
      const e = await refusal(publishStatusLists(workspace));
      expect(e?.code).toBe('STATUS_ERROR');
      expect(e!.message).toMatch(
        /1 entry revoked in the last published revocation\.json would be cleared.*Nothing was written/,
      );
      expect(fs.readFileSync(p!.file).equals(published)).toBe(true);
      const list = JSON.parse(published.toString('utf8')) as unknown;
      expect(
        (await verify(made.b as object, { fetchStatusList: async () => list })).checks.some(
          (c) => c.code === 'REVOKED',
        ),
      ).toBe(true);
      // Forced on purpose: published, and the register remembers it.
      const [forced] = await publishStatusLists(workspace, { force: true });
      expect(forced!.set).toBe(0);
    } finally {
      await workspace.close();
    }
  });

  it("the status folder is held to what the register recorded: a published list gone missing or empty, or another workspace's, is refused", async () => {
    const { workspace, a } = await officeWithTwo('folder');
    try {
      await workspace.register.setStatus({
        credentialId: a.id,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      const [p] = await publishStatusLists(workspace);
      fs.rmSync(p!.file);
      expect((await refusal(publishStatusLists(workspace)))?.message).toMatch(
        /the register records that it was published on .* \(1 set\), but .*revocation\.json is missing/,
      );
      fs.writeFileSync(p!.file, '');
      expect((await refusal(publishStatusLists(workspace)))?.message).toMatch(/revocation\.json is empty/);
      const other = await officeWithTwo('folder-other', 'https://other.example/status/');
      try {
        const [q] = await publishStatusLists(other.workspace);
        fs.copyFileSync(q!.file, p!.file);
      } finally {
        await other.workspace.close();
      }
      expect((await refusal(publishStatusLists(workspace)))?.message).toMatch(
        /another workspace's list \(https:\/\/other\.example\/status\/revocation by did:key:/,
      );
      expect((await publishStatusLists(workspace, { force: true }))[0]!.set).toBe(1);
    } finally {
      await workspace.close();
    }
  });
});

describe('microcred status publish: --valid-for and --force', () => {
  it('writes the asked validity, refuses an unusable one, and --force publishes over a refusal', async () => {
    const { main } = await import('../src/cli/main');
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
      return { code, stdout, stderr };
    };
    const { workspace, a } = await officeWithTwo('cli');
    await workspace.register.setStatus({ credentialId: a.id, purpose: 'revocation', value: true, reason: 'annulled' });
    await workspace.close();
    const published = await run('status', 'publish', '-w', workspace.dir, '--valid-for', '1');
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/valid until .*publish again before then/);
    const file = path.join(workspace.dir, 'status', 'revocation.json');
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as { validFrom: string; validUntil: string };
    expect(Date.parse(list.validUntil) - Date.parse(list.validFrom)).toBe(3600_000);
    expect((await run('status', 'publish', '-w', workspace.dir, '--valid-for', '0')).code).toBe(2);
    fs.writeFileSync(file, '');
    const refused = await run('status', 'publish', '-w', workspace.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/revocation\.json is empty.*--force/);
    expect((await run('status', 'publish', '-w', workspace.dir, '--force')).code).toBe(0);
  });
});
