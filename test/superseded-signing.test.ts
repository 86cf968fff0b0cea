/**
 * A crash's leftover on the server that crashed: it wrote the signed credential's file and died before completing the
 * issue in the register; the client's retry reached another server, which signed again (another second's proof) and
 * completed it. The leftover holds the same claims under an earlier proof and was never handed out. The registrar's
 * commands on the crashed server read the register's copy instead of calling the file "changed", and the next retry
 * there puts the register's bytes in its place (the leftover renamed beside it, not deleted). A file whose claims were
 * changed is still refused and left alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace, makeTranscript, type Workspace } from '../src/node/index';
import { generateKey, issue } from '../src/index';
import { createProof } from '../src/proof/data-integrity';
import { isSupersededSigning, replaceSupersededSigning } from '../src/node/superseded-signing';
import { createServiceApp, createServiceToken } from '../src/server/index';
import { serviceCredential } from './helpers/service-credential';

const PUBLIC = 'https://credentials.example.edu';
const LEARNER = 'did:example:learner-7';
let dir: string;
let ws: Workspace;
let token: string;
let edits = 0;

const credential = (id: string): Record<string, unknown> =>
  serviceCredential(id, LEARNER, `https://uni.example.edu/achievements/${id.slice(-4)}`);

const issueOnce = (id: string) =>
  createServiceApp({ workspace: ws, publicUrl: PUBLIC, webDir: false }).request('/credentials/issue', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ credential: credential(id) }),
  });

/** The file the register records for a credential, in this workspace. */
async function fileOf(id: string): Promise<string> {
  const record = (await ws.register.findByCredentialId(id))!;
  return path.join(ws.dir, record.file!);
}

/** The same credential as another second's signing writes it: same claims, another (valid) proof by the same key. */
async function earlierSigning(text: string): Promise<string> {
  const { proof: _proof, ...unsigned } = JSON.parse(text) as Record<string, unknown>;
  const signed = await issue(unsigned, { key: ws.key, created: '2026-01-01T00:00:00Z' });
  return JSON.stringify(signed, null, 2) + '\n';
}

/** The file's proof value replaced: what a hand edit of the proof leaves. */
const proofEdited = (text: string): string =>
  text.replace(/"proofValue": "z[1-9A-HJ-NP-Za-km-z]+"/, '"proofValue": "zNOTASIGNATURE"');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superseded-'));
  ({ workspace: ws } = await initWorkspace(path.join(dir, 'office'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  }));
  ({ token } = await createServiceToken(ws));
}, 60_000);
afterAll(async () => {
  await ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a crash leftover of an issue another server completed', () => {
  it('is read past by the transcript, and replaced by the register copy at the next retry here', async () => {
    const id = 'urn:uuid:0d6c2b1a-9e8f-4a7b-b6c5-d4e3f2a1b0c9';
    const first = await issueOnce(id);
    expect(first.status).toBe(201);
    const handed = await first.json();
    const file = await fileOf(id);
    const kept = fs.readFileSync(file, 'utf8');
    const leftover = await earlierSigning(kept);
    fs.writeFileSync(file, leftover);

    const transcript = await makeTranscript(ws, LEARNER, { out: path.join(dir, 't1.json') });
    expect(transcript.credentials.map((c) => c.credentialId)).toEqual([id]);
    const nested = JSON.stringify(JSON.parse(fs.readFileSync(transcript.file, 'utf8')));
    expect(nested).toContain(
      JSON.stringify((JSON.parse(kept) as { proof: { proofValue: string }[] }).proof[0]!.proofValue),
    );
    const leftoverValue = (JSON.parse(leftover) as { proof: { proofValue: string }[] }).proof[0]!.proofValue;
    expect(nested).not.toContain(leftoverValue);

    const retried = await issueOnce(id);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual(handed);
    expect(fs.readFileSync(file, 'utf8')).toBe(kept);
    const aside = fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.superseded-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(path.dirname(file), aside[0]!), 'utf8')).toBe(leftover);
  }, 60_000);

  it.each([
    [
      'whose claims changed',
      async (t: string) => (await earlierSigning(t)).replace('Argues clearly', 'Argues clearly, at length'),
    ],
    ['whose proof was edited', async (t: string) => proofEdited(await earlierSigning(t))],
    [
      'with a duplicate key another reader takes first',
      async (t: string) =>
        (await earlierSigning(t)).replace(
          '"name": "Critical thinking",',
          '"name": "Doctor of Medicine",\n  "name": "Critical thinking",',
        ),
    ],
    ['laid out otherwise', async (t: string) => JSON.stringify(JSON.parse(await earlierSigning(t))) + '\n'],
  ])(
    'a file %s is still refused by the transcript and left alone by a retry',
    async (_what, edit) => {
      const id = `urn:uuid:5a4b3c2d-1e0f-4a9b-8c7d-${String(++edits).padStart(12, '0')}`;
      expect((await issueOnce(id)).status).toBe(201);
      const file = await fileOf(id);
      const edited = await edit(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, edited);
      await expect(makeTranscript(ws, LEARNER, { out: path.join(dir, `t-${edits}.json`) })).rejects.toThrow(
        /has changed/,
      );
      expect((await issueOnce(id)).status).toBe(200);
      expect(fs.readFileSync(file, 'utf8')).toBe(edited);
      expect(fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.`))).toEqual([]);
      fs.rmSync(file); // the next case's transcript must not meet this learner's changed file
    },
    60_000,
  );

  it('two replacements at once keep the leftover, once, beside the register copy', async () => {
    const id = 'urn:uuid:9e8d7c6b-5a49-4382-b716-a5b4c3d2e1f0';
    expect((await issueOnce(id)).status).toBe(201);
    const file = await fileOf(id);
    const kept = fs.readFileSync(file);
    const leftover = await earlierSigning(kept.toString('utf8'));
    fs.writeFileSync(file, leftover);
    const results = await Promise.all([
      replaceSupersededSigning(file, kept, id, ws.key),
      replaceSupersededSigning(file, kept, id, ws.key),
    ]);
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(fs.readFileSync(file)).toEqual(kept);
    const beside = fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.`));
    expect(beside).toHaveLength(1);
    expect(beside[0]).toMatch(/\.superseded-[0-9a-f]{12}$/);
    expect(fs.readFileSync(path.join(path.dirname(file), beside[0]!), 'utf8')).toBe(leftover);
  }, 60_000);
});

describe('isSupersededSigning', () => {
  const id = 'urn:uuid:2f1e0d9c-8b7a-4695-a483-726150f4e3d2';
  let kept: Buffer;
  let earlier: Buffer;
  beforeAll(async () => {
    const signed = await issue(
      { ...credential(id), issuer: ws.config.issuer },
      { key: ws.key, created: '2026-02-01T00:00:00Z' },
    );
    kept = Buffer.from(JSON.stringify(signed, null, 2) + '\n');
    earlier = Buffer.from(await earlierSigning(kept.toString('utf8')));
  });
  const check = (file: Buffer | string, against: Buffer = kept) =>
    isSupersededSigning(Buffer.from(file), against, id, ws.key);

  it('holds for the same claims under another valid proof by this key', async () => {
    expect(earlier.equals(kept)).toBe(false);
    expect(await check(earlier)).toBe(true);
  });
  it('does not hold for other claims, an edited or foreign proof, another id, or what is not written as issued', async () => {
    const text = earlier.toString('utf8');
    expect(await check(text.replace('Argues clearly', 'Argues'))).toBe(false);
    expect(await check(proofEdited(text))).toBe(false);
    const other = generateKey();
    const { proof: _p, ...unsigned } = JSON.parse(text) as Record<string, unknown>;
    const foreign = JSON.stringify(await createProof(unsigned, { key: other }), null, 2) + '\n';
    expect(await check(foreign)).toBe(false);
    expect(await check(JSON.stringify(unsigned, null, 2) + '\n')).toBe(false);
    expect(await check(text.replaceAll(id, 'urn:uuid:00000000-0000-4000-8000-000000000000'))).toBe(false);
    expect(await check(JSON.stringify(JSON.parse(text)) + '\n')).toBe(false);
    expect(
      await check(text.replace('"name": "Critical thinking",', '"name": "X",\n  "name": "Critical thinking",')),
    ).toBe(false);
    expect(await check('eyJhbGciOiJFZERTQSJ9.e30.c2ln')).toBe(false);
    expect(await check(`[${text}]`)).toBe(false);
    expect(await check('{')).toBe(false);
    expect(await check(text + ' '.repeat(kept.length * 2 + 5000))).toBe(false);
  });
});
