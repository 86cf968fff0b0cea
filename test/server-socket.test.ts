// One real socket on 127.0.0.1: the service in its own process issues and verifies over HTTP, and on SIGTERM stops
// taking connections, finishes the request in flight, closes the register and exits 0.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initWorkspace } from '../src/node/index';
import { createServiceToken } from '../src/server/index';

const ROOT = path.resolve(__dirname, '..');
let dir: string;
let ws: string;
let token: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-socket-'));
  ws = path.join(dir, 'ws');
  const { workspace } = await initWorkspace(ws, {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://uni.example.edu/status/',
  });
  ({ token } = await createServiceToken(workspace));
  await workspace.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('serves on 127.0.0.1 and stops gracefully on SIGTERM: the request in flight finishes, the register closes, exit 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/serve-child.ts'), ws], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const credential = {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'Critical thinking',
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: 'did:example:learner',
        type: ['AchievementSubject'],
        achievement: {
          id: 'https://uni.example.edu/a/ct',
          type: ['Achievement'],
          name: 'Critical thinking',
          description: 'd',
          criteria: { narrative: 'n' },
        },
      },
    };
    const issued = await fetch(`${base}/credentials/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ credential }),
    });
    expect(issued.status).toBe(201);
    const { verifiableCredential } = (await issued.json()) as { verifiableCredential: unknown };
    const verified = await fetch(`${base}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential }),
    });
    const result = (await verified.json()) as { verified: boolean };
    expect(result.verified, JSON.stringify(result)).toBe(true);

    // SIGTERM once the server has the request, whatever the load: a fixed pause could send it before the request arrives.
    const arrived = new Promise<void>((resolve) =>
      child.stdout.on('data', () => {
        if (out.includes('slow started')) resolve();
      }),
    );
    const inFlight = fetch(`${base}/test/slow`);
    await arrived;
    // 'close', not 'exit': the "closed" line may still be unread in the pipe when the process is gone.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(await slow.text()).toBe('finished');
    expect(await exited).toBe(0);
    expect(out).toMatch(/closed/);
    await expect(fetch(`${base}/openapi.json`)).rejects.toThrow();
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
}, 90_000);
