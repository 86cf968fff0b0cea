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
import { isSupersededSigning } from '../src/node/superseded-signing';
import { createServiceApp, createServiceToken } from '../src/server/index';

const PUBLIC = 'https://credentials.example.edu';
const LEARNER = 'did:example:learner-7';
let dir: string;
let ws: Workspace;
let token: string;

const credential = (id: string): Record<string, unknown> => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Critical thinking',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    id: LEARNER,
    type: ['AchievementSubject'],
    achievement: {
      id: `https://uni.example.edu/achievements/${id.slice(-4)}`,
      type: ['Achievement'],
      name: 'Critical thinking',
      description: 'Argues clearly',
      criteria: { narrative: 'Passed the exam' },
    },
  },
});

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

/** The same credential as another second's signing would write it: same claims, another proof. */
function earlierSigning(text: string): string {
  const signed = JSON.parse(text) as { proof: Record<string, unknown>[] };
  signed.proof = [{ ...signed.proof[0], created: '2026-01-01T00:00:00Z', proofValue: 'z3FXQj1Gg8a9NL7mJcmb7Kbts' }];
  return JSON.stringify(signed, null, 2) + '\n';
}

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
    const leftover = earlierSigning(kept);
    fs.writeFileSync(file, leftover);

    const transcript = await makeTranscript(ws, LEARNER, { out: path.join(dir, 't1.json') });
    expect(transcript.credentials.map((c) => c.credentialId)).toEqual([id]);
    const nested = JSON.stringify(JSON.parse(fs.readFileSync(transcript.file, 'utf8')));
    expect(nested).toContain(
      JSON.stringify((JSON.parse(kept) as { proof: { proofValue: string }[] }).proof[0]!.proofValue),
    );
    expect(nested).not.toContain('z3FXQj1Gg8a9NL7mJcmb7Kbts');

    const retried = await issueOnce(id);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual(handed);
    expect(fs.readFileSync(file, 'utf8')).toBe(kept);
    const aside = fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.superseded-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(path.dirname(file), aside[0]!), 'utf8')).toBe(leftover);
  }, 60_000);

  it('a file whose claims changed is still refused by the transcript and left alone by a retry', async () => {
    const id = 'urn:uuid:5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
    expect((await issueOnce(id)).status).toBe(201);
    const file = await fileOf(id);
    const edited = earlierSigning(fs.readFileSync(file, 'utf8')).replace('Argues clearly', 'Argues clearly, at length');
    fs.writeFileSync(file, edited);
    await expect(makeTranscript(ws, LEARNER, { out: path.join(dir, 't2.json') })).rejects.toThrow(/has changed/);
    expect((await issueOnce(id)).status).toBe(200);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
  }, 60_000);
});

describe('isSupersededSigning', () => {
  const id = 'urn:uuid:1';
  const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
  const signed = { id, name: 'A', credentialSubject: { id: LEARNER }, proof: { proofValue: 'z1' } };
  it('holds for the same claims under another proof, in any key order', () => {
    const reordered = { proof: { proofValue: 'z2' }, credentialSubject: { id: LEARNER }, name: 'A', id };
    expect(isSupersededSigning(bytes(reordered), bytes(signed), id)).toBe(true);
  });
  it('does not hold for other claims, another id, no proof, or what is not a JSON credential', () => {
    expect(isSupersededSigning(bytes({ ...signed, name: 'B' }), bytes(signed), id)).toBe(false);
    expect(isSupersededSigning(bytes({ ...signed, extra: 1 }), bytes(signed), id)).toBe(false);
    expect(
      isSupersededSigning(bytes({ ...signed, id: 'urn:uuid:2' }), bytes({ ...signed, id: 'urn:uuid:2' }), id),
    ).toBe(false);
    const { proof: _p, ...unsigned } = signed;
    expect(isSupersededSigning(bytes(unsigned), bytes(signed), id)).toBe(false);
    expect(isSupersededSigning(Buffer.from('eyJhbGciOiJFZERTQSJ9.e30.c2ln'), bytes(signed), id)).toBe(false);
    expect(isSupersededSigning(bytes([signed]), bytes(signed), id)).toBe(false);
    expect(isSupersededSigning(Buffer.from('{'), bytes(signed), id)).toBe(false);
  });
});
