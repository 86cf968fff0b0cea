import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { award, defineIssuer, generateKey, issue } from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { main as runCli } from '../src/cli/main';
import { reiProgramme } from '../examples/rei-programme';

// `microcred verify` online: status lists fetched from where the credential says (here a server on 127.0.0.1, reached
// only with --allow-private-network), --learner on any credential, --trust turning "not confirmed" into "confirmed by",
// several files as one line each with totals. The CLI runs in this process, so the server answers while it waits.
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const learner = { email: 'mari@example.ee', salt: 'salt-of-mari-0001' };
const INDEX = 42;
let tmp: string;
let server: http.Server;
let base: string;
const requests: string[] = [];
const docs: Record<string, { type: string; body: string }> = {};
const files: Record<string, string> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-verify-online-'));
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const doc = docs[req.url ?? ''];
    if (doc) res.writeHead(200, { 'content-type': doc.type }).end(doc.body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const list = `${base}/status/1`;
  const bits = new Bitstring();
  bits.set(INDEX, true);
  const signedList = await issue(
    (await statusListCredential({
      id: list,
      issuer: key.controller,
      purpose: 'revocation',
      bitstring: bits,
      validFrom: '2024-01-01T00:00:00Z',
    })) as unknown as Record<string, unknown>,
    { key, created: '2024-01-01T00:00:00Z' },
  );
  docs['/status/1'] = { type: 'application/vc+ld+json', body: JSON.stringify(signedList) };
  const write = async (name: string, credential: object) => {
    files[name] = path.join(tmp, `${name}.json`);
    fs.writeFileSync(files[name]!, JSON.stringify(await issue(credential, { key, created: '2024-01-26T00:00:00Z' })));
  };
  await write(
    'revoked',
    award(reiProgramme.parts[0]!, {
      issuer,
      learner,
      grade: 'B',
      awardedOn: '2024-01-26',
      credentialStatus: statusListEntry({ listCredentialId: list, index: INDEX, purpose: 'revocation' }) as never,
    }),
  );
  await write(
    'current',
    award(reiProgramme.parts[0]!, {
      issuer,
      learner,
      grade: 'B',
      awardedOn: '2024-01-26',
      credentialStatus: statusListEntry({ listCredentialId: list, index: INDEX + 1, purpose: 'revocation' }) as never,
    }),
  );
  await write('plain', award(reiProgramme.parts[1]!, { issuer, learner, grade: 'A', awardedOn: '2024-01-26' }));
  const registry = {
    meta: { created: '2024-01-01T00:00:00Z' },
    registry: { [key.controller]: { name: 'University of Tartu', location: 'Tartu, Estonia', url: 'https://ut.ee' } },
  };
  files.registry = path.join(tmp, 'estonian-universities.json');
  fs.writeFileSync(files.registry, JSON.stringify(registry));
  docs['/registry.json'] = {
    type: 'application/json',
    body: JSON.stringify({ ...registry, meta: { ...registry.meta, name: 'Served registry' } }),
  };
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('microcred verify, online', () => {
  it('a revoked credential whose list is on a loopback server: exit 1, "Revoked" (no --status-dir)', async () => {
    const r = await run('verify', files.revoked!, '--allow-private-network');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^✗ Revoked by its issuer/);
    expect(requests).toContain('/status/1');
  });

  it('the same list, not revoked: authentic, not revoked (exit 0)', async () => {
    const r = await run('verify', files.current!, '--allow-private-network');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^! Authentic, but the issuer's identity is not confirmed \(it calls itself "University of Tartu"\), not revoked, passed with grade B$/,
    );
  });

  it('several files naming one status list: the list is asked once for the whole command', async () => {
    const before = requests.filter((u) => u === '/status/1').length;
    const r = await run('verify', files.current!, files.revoked!, files.current!, '--allow-private-network');
    expect(r.code, r.stdout).toBe(1);
    expect(requests.filter((u) => u === '/status/1').length - before).toBe(1);
  });

  it('without --allow-private-network the loopback list is never asked: not checked, exit 4', async () => {
    const before = requests.length;
    const r = await run('verify', files.revoked!, '--details');
    expect(r.code, r.stdout).toBe(4);
    expect(r.stdout.split('\n')[0]).toMatch(/^! Could not check whether it was revoked/);
    expect(r.stdout).toMatch(/loopback, private or link-local/);
    expect(requests.length).toBe(before);
  });

  it('--offline fetches nothing: not checked, exit 4', async () => {
    const before = requests.length;
    const r = await run('verify', files.revoked!, '--offline', '--allow-private-network');
    expect(r.code).toBe(4);
    expect(requests.length).toBe(before);
  });

  it('--learner on a single credential: the right person exit 0, the wrong one exit 1, an id it cannot compare exit 1', async () => {
    const right = await run('verify', files.plain!, '--learner', 'mari@example.ee');
    expect(right.code, right.stdout).toBe(0);
    expect(right.stdout.split('\n')[1]).toBe('✓ Issued to mari@example.ee');
    const wrong = await run('verify', files.plain!, '--learner', 'jaan@example.ee');
    expect(wrong.code, wrong.stdout).toBe(1);
    expect(wrong.stdout.split('\n')[1]).toMatch(/^✗ NOT issued to jaan@example\.ee/);
    const other = await run('verify', files.plain!, '--learner', 'did:example:jaan');
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/Cannot tell whether it was issued to did:example:jaan/);
    const json = await run('verify', files.plain!, '--learner', 'jaan@example.ee', '--json');
    expect(JSON.parse(json.stdout).learner).toEqual({ identifier: 'jaan@example.ee', match: 'no-match' });
  });

  it('--trust with a registry file: "identity not confirmed" becomes "confirmed by <registry>"', async () => {
    const before = await run('verify', files.plain!);
    expect(before.stdout.split('\n')[0]).toMatch(/identity is not confirmed/);
    const r = await run('verify', files.plain!, '--trust', files.registry!);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      '✓ Authentic micro-credential from University of Tartu (confirmed by estonian-universities.json), passed with grade A',
    );
  });

  it('--trust with a URL fetches it (here from loopback, with the opt-in); with --offline a URL is refused (exit 2)', async () => {
    const r = await run('verify', files.plain!, '--trust', `${base}/registry.json`, '--allow-private-network');
    expect(r.stdout.split('\n')[0]).toMatch(/\(confirmed by Served registry\)/);
    expect((await run('verify', files.plain!, '--trust', `${base}/registry.json`, '--offline')).code).toBe(2);
    expect((await run('verify', files.plain!, '--trust', files.plain!)).code).toBe(2);
  });

  it('several files: one line per file, then totals; the worst decides the exit code', async () => {
    const r = await run(
      'verify',
      files.plain!,
      files.current!,
      files.revoked!,
      '--allow-private-network',
      '--trust',
      files.registry!,
    );
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^✓ .*plain\.json: Authentic micro-credential from University of Tartu/);
    expect(lines[2]).toMatch(/^✗ .*revoked\.json: Revoked/);
    expect(lines[3]).toBe('3 files: 2 authentic, 1 not valid');
  });
});
