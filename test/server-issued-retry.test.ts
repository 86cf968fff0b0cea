/**
 * A retried issue on another server, with no shared issued/ folder: two servers, each with its own copy of the
 * workspace folder, on one PostgreSQL register. The register keeps every issued credential's bytes, so a retry that
 * lands on the server which did not issue it answers 200 with the very bytes first handed out, and that server's
 * issued/ gets its copy; a crash between writing the file and completing in the register loses nothing either.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initWorkspace, openWorkspace, type Workspace } from '../src/node/index';
import { createServiceApp, createServiceToken } from '../src/server/index';
import { describePostgres, freshSchema } from './helpers/postgres';
import { serviceCredential } from './helpers/service-credential';

const PUBLIC = 'https://credentials.example.edu';
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issued-retry-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const credential = (id: string, learner: string): Record<string, unknown> =>
  serviceCredential(id, learner, 'https://uni.example.edu/achievements/ct');

/** The workspace with a register that "crashes" when the issuance is to be completed, after the file is written. */
function crashingBeforeComplete(ws: Workspace): Workspace {
  const register = new Proxy(ws.register, {
    get(target, name) {
      if (name === 'completeIssuance')
        return () => Promise.reject(new Error('simulated crash before completeIssuance'));
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...ws, register };
}

const issuedFiles = (ws: string): string[] =>
  fs.existsSync(path.join(ws, 'issued')) ? fs.readdirSync(path.join(ws, 'issued')).sort() : [];

describePostgres('a retried issue on another server, without a shared issued/ folder', (url) => {
  it('answers 200 with the bytes first handed out, restores the file there once, and loses nothing to a crash before completion', async () => {
    const first = path.join(dir, 'server-a');
    const { workspace: a0 } = await initWorkspace(first, {
      name: 'Test University',
      country: 'EE',
      statusBaseUrl: 'https://credentials.example.edu/status/',
      database: url,
      databaseSchema: freshSchema('retry'),
    });
    let a = a0;
    const second = path.join(dir, 'server-b');
    fs.cpSync(first, second, { recursive: true });
    const b = await openWorkspace(second);
    const { token } = await createServiceToken(a);
    const issueOn = (ws: Workspace, body: Record<string, unknown>) =>
      createServiceApp({ workspace: ws, publicUrl: PUBLIC, webDir: false }).request('/credentials/issue', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ credential: body }),
      });
    try {
      // Issued on A; A's issued/ is on A's machine: B cannot reach the path the register records.
      const id = 'urn:uuid:3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
      const issued = await issueOn(a, credential(id, 'did:example:learner-1'));
      expect(issued.status).toBe(201);
      const handed = await issued.json();
      const [name] = issuedFiles(first);
      const bytesOnA = fs.readFileSync(path.join(first, 'issued', name!));
      fs.renameSync(path.join(first, 'issued'), path.join(dir, 'issued-of-a-elsewhere'));
      expect(issuedFiles(second)).toEqual([]);

      const retried = await issueOn(b, credential(id, 'did:example:learner-1'));
      expect(retried.status).toBe(200);
      expect(await retried.json()).toEqual(handed);
      // B's issued/ now holds the credential, byte for byte, under the same name; a second retry changes nothing.
      expect(issuedFiles(second)).toEqual([name]);
      expect(fs.readFileSync(path.join(second, 'issued', name!))).toEqual(bytesOnA);
      const mtime = fs.statSync(path.join(second, 'issued', name!)).mtimeMs;
      const again = await issueOn(b, credential(id, 'did:example:learner-1'));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(handed);
      expect(fs.statSync(path.join(second, 'issued', name!)).mtimeMs).toBe(mtime);
      fs.renameSync(path.join(dir, 'issued-of-a-elsewhere'), path.join(first, 'issued'));

      // A crashes after writing the file and before completing in the register: the client saw no answer.
      const crashId = 'urn:uuid:7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e';
      const crashed = await issueOn(crashingBeforeComplete(a), credential(crashId, 'did:example:learner-2'));
      expect(crashed.status).toBe(500);
      const reserved = (await b.register.findByCredentialId(crashId))!;
      expect(reserved.state).toBe('reserved');
      const orphan = issuedFiles(first).find((f) => f !== name)!;
      await a.close(); // the process is gone: PostgreSQL drops its session lock
      // The client retries on B, which finishes the reservation: the same id and status index, B's own file.
      const finished = await issueOn(b, credential(crashId, 'did:example:learner-2'));
      expect(finished.status).toBe(201);
      const finishedBody = (await finished.json()) as { verifiableCredential: Record<string, unknown> };
      expect(finishedBody.verifiableCredential.id).toBe(crashId);
      const completed = (await b.register.findByCredentialId(crashId))!;
      expect(completed).toMatchObject({ state: 'issued', statusIndex: reserved.statusIndex });
      // A restarts with the file it wrote before the crash (here made to differ, as another second's proof would).
      const orphanFile = path.join(first, 'issued', orphan);
      const orphanText = fs.readFileSync(orphanFile, 'utf8').replace('Argues clearly', 'Argues clearly, at length');
      fs.writeFileSync(orphanFile, orphanText);
      a = await openWorkspace(first);
      const onA = await issueOn(a, credential(crashId, 'did:example:learner-2'));
      expect(onA.status).toBe(200);
      expect(await onA.json()).toEqual(finishedBody);
      expect(fs.readFileSync(orphanFile, 'utf8')).toBe(orphanText);
      // One credential per id in the register, each with its bytes.
      const all = await b.register.listIssued();
      expect(all.map((r) => r.credentialId).sort()).toEqual([id, crashId].sort());
      for (const r of all) expect(await b.register.issuedCredential(r.credentialId)).toBeDefined();
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
