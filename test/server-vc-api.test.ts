// The service's W3C VC API and hosting, in-process through app.request: every endpoint's success and error shapes,
// bearer-token refusals, oversized, malformed and wrongly typed bodies, and attacker inputs (duplicate names, path
// traversal into hosted folders, huge arrays, deep nesting, a credential that brings its own proof or status).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import {
  EU_MICROCREDENTIAL_TYPE_METADATA,
  EU_MICROCREDENTIAL_VCT,
  generateKey,
  issue,
  MicrocredError,
  verify,
} from '../src/index';
import { initWorkspace, openWorkspace, type Workspace } from '../src/node/index';
import { openDatabase } from '../src/node/register/driver';
import {
  createServiceApp,
  createServiceToken,
  listServiceTokens,
  PAGE_CSP,
  revokeServiceToken,
  TOKENS_FILE,
} from '../src/server/index';

let dir: string;
let workspace: Workspace;
let app: Hono;
let token: string;
const logLines: string[] = [];

const credential = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Critical thinking',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    id: 'did:example:learner-1',
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://uni.example.edu/achievements/ct',
      type: ['Achievement'],
      name: 'Critical thinking',
      description: 'Argues clearly',
      criteria: { narrative: 'Passed the exam' },
    },
  },
  ...extra,
});

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const authed = (body: unknown): RequestInit => json(body, { authorization: `Bearer ${token}` });
const errorOf = async (r: Response) =>
  ((await r.json()) as { error: { code: string; message: string; path?: string } }).error;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcapi-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), {
    name: 'Test University',
    country: 'EE',
    didWeb: 'did:web:uni.example.edu',
  }));
  const web = path.join(dir, 'dist-web');
  fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Verifier</title>');
  fs.writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  app = createServiceApp({
    workspace,
    publicUrl: 'https://uni.example.edu',
    webDir: web,
    log: (l) => logLines.push(l),
  });
  ({ token } = await createServiceToken(workspace, { label: 'student information system' }));
});
afterAll(async () => {
  await workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /credentials/issue', () => {
  it('issues with a bearer token: 201 { verifiableCredential } signed as the workspace DID, with a status entry from the register', async () => {
    const r = await app.request('/credentials/issue', authed({ credential: credential() }));
    expect(r.status).toBe(201);
    const { verifiableCredential: vc } = (await r.json()) as { verifiableCredential: Record<string, unknown> };
    expect((vc.issuer as { id: string }).id).toBe('did:web:uni.example.edu');
    expect((vc.credentialStatus as { statusListCredential: string }).statusListCredential).toBe(
      'https://uni.example.edu/status/revocation',
    );
    expect(await workspace.register.findByCredentialId(vc.id as string)).toMatchObject({ state: 'issued' });
    const v = await app.request('/credentials/verify', json({ verifiableCredential: vc }));
    expect(v.status).toBe(200);
    expect(await v.json()).toMatchObject({ verified: true, errors: [] });
  });

  it('hands back the same credential when a credential id is issued again (a retried request), 200', async () => {
    const id = 'urn:uuid:6f1a3c52-1d0e-4a43-9d0b-6f5d3c2b1a00';
    const first = (await (
      await app.request('/credentials/issue', authed({ credential: credential({ id }) }))
    ).json()) as { verifiableCredential: unknown };
    const again = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect((await workspace.register.listIssued()).filter((r) => r.credentialId === id)).toHaveLength(1);
  });

  it("a retried issue is answered with the register's bytes: a missing file is restored once, a changed one is left and never handed out", async () => {
    const id = 'urn:uuid:0c4e8a7e-2b55-4f31-8a7c-3d2e1f0a9b11';
    const first = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(first.status).toBe(201);
    const handed = await first.json();
    const record = (await workspace.register.findByCredentialId(id))!;
    const file = path.isAbsolute(record.file!) ? record.file! : path.join(workspace.dir, record.file!);
    const original = fs.readFileSync(file);
    // Another server wrote it, to a folder this one cannot reach: answered from the register, and the file restored.
    fs.rmSync(file);
    const missing = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual(handed);
    expect(fs.readFileSync(file)).toEqual(original);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // An operator restored another file under its name (here: the same credential with its name changed).
    const other = original.toString('utf8').replace('Critical thinking', 'Critical thinking (honours)');
    fs.writeFileSync(file, other);
    const changed = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual(handed);
    expect(fs.readFileSync(file, 'utf8')).toBe(other);
    fs.writeFileSync(file, original);
    expect((await workspace.register.listIssued()).filter((r) => r.credentialId === id)).toHaveLength(1);
  });

  it('a retry names no file: another achievement name or format writes nothing new, a missing file comes back under its recorded name, an unwritable folder still answers', async () => {
    const id = 'urn:uuid:5b2d7c10-8e44-4a6f-9c1d-2e3f4a5b6c77';
    const first = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(first.status).toBe(201);
    const handed = await first.json();
    const record = (await workspace.register.findByCredentialId(id))!;
    const file = path.isAbsolute(record.file!) ? record.file! : path.join(workspace.dir, record.file!);
    const folder = path.dirname(file);
    const filesOf = () => fs.readdirSync(folder).filter((f) => f.includes('5b2d7c10-8e44-4a6f-9c1d-2e3f4a5b6c77'));
    expect(filesOf()).toEqual([path.basename(file)]);
    // The caller chooses the achievement's name and the format: neither may name a file on this server.
    const renamed = (n: number) =>
      credential({
        id,
        credentialSubject: {
          ...(credential().credentialSubject as Record<string, unknown>),
          achievement: {
            ...((credential().credentialSubject as Record<string, unknown>).achievement as Record<string, unknown>),
            name: `Another name ${n}`,
          },
        },
      });
    for (const body of [
      { credential: renamed(1) },
      { credential: renamed(2) },
      { credential: credential({ id }), options: { format: 'vc-jwt' } },
    ]) {
      const again = await app.request('/credentials/issue', authed(body));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(handed);
    }
    expect(filesOf()).toEqual([path.basename(file)]);
    // Missing here (another server wrote it): restored under the name the register recorded, whatever the retry says.
    const original = fs.readFileSync(file);
    fs.rmSync(file);
    expect((await app.request('/credentials/issue', authed({ credential: renamed(3) }))).status).toBe(200);
    expect(filesOf()).toEqual([path.basename(file)]);
    expect(fs.readFileSync(file)).toEqual(original);
    // A folder that cannot take the copy (here: a file where the folder should be) does not fail the retry.
    const aside = `${folder}-aside`;
    fs.renameSync(folder, aside);
    fs.writeFileSync(folder, 'not a folder');
    try {
      const unwritable = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
      expect(unwritable.status).toBe(200);
      expect(await unwritable.json()).toEqual(handed);
    } finally {
      fs.rmSync(folder);
      fs.renameSync(aside, folder);
    }
  });

  it('a credential issued before the register kept bytes is handed back from its file only: missing or changed, 503 ISSUED_FILE_UNAVAILABLE', async () => {
    // The register as an older version left it: completions without the bytes.
    const register = new Proxy(workspace.register, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (name === 'completeIssuance')
          return ({ credential: _, ...rest }: Parameters<typeof target.completeIssuance>[0]) =>
            target.completeIssuance(rest);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const older = createServiceApp({
      workspace: { ...workspace, register },
      publicUrl: 'https://uni.example.edu',
      webDir: false,
    });
    const id = 'urn:uuid:5d0c6f1e-7a3b-4c2d-9e8f-1a2b3c4d5e6f';
    const first = await older.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(first.status).toBe(201);
    expect(await workspace.register.issuedCredential(id)).toBeUndefined();
    const record = (await workspace.register.findByCredentialId(id))!;
    const file = path.isAbsolute(record.file!) ? record.file! : path.join(workspace.dir, record.file!);
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, original.toString('utf8').replace('Critical thinking', 'Critical thinking (honours)'));
    const changed = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(changed.status).toBe(503);
    expect(await errorOf(changed)).toMatchObject({ code: 'ISSUED_FILE_UNAVAILABLE', path: '$.id' });
    fs.rmSync(file);
    const missing = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(missing.status).toBe(503);
    const error = await errorOf(missing);
    expect(error.code).toBe('ISSUED_FILE_UNAVAILABLE');
    expect(error.message).toMatch(
      /was issued before the register kept .*cannot be read from .*ENOENT.*Nothing was issued again/,
    );
    fs.writeFileSync(file, original);
    const restored = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(restored.status).toBe(200);
    expect(await restored.json()).toEqual(await first.json());
  });

  it("a retried issue whose kept bytes are not the register's hash answers 500 REGISTER_INCONSISTENT, never those bytes", async () => {
    const id = 'urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    expect((await app.request('/credentials/issue', authed({ credential: credential({ id }) }))).status).toBe(201);
    const raw = await openDatabase(path.join(workspace.dir, 'register.sqlite'));
    try {
      // An operator edits the kept bytes by hand, past the schema's guards.
      raw.prepare('DROP TRIGGER issued_credentials_not_replaced').run();
      raw.prepare('DROP TRIGGER issued_credentials_fixed').run();
      raw
        .prepare(
          "UPDATE issued_credentials SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Argues', 'Argued') AS BLOB) WHERE credential_id = ?",
        )
        .run(id);
    } finally {
      raw.close();
    }
    const again = await app.request('/credentials/issue', authed({ credential: credential({ id }) }));
    expect(again.status).toBe(500);
    const error = await errorOf(again);
    expect(error.code).toBe('REGISTER_INCONSISTENT');
    expect(JSON.stringify(error)).not.toContain('Argued');
  });

  it('signs VC-JWT and eddsa-jcs-2022 on request, and refuses an unknown format', async () => {
    const jwt = (await (
      await app.request('/credentials/issue', authed({ credential: credential(), options: { format: 'vc-jwt' } }))
    ).json()) as { verifiableCredential: string };
    expect(jwt.verifiableCredential).toMatch(/^eyJ/);
    const jcs = await app.request(
      '/credentials/issue',
      authed({ credential: credential(), options: { format: 'eddsa-jcs-2022' } }),
    );
    expect(jcs.status).toBe(201);
    const bad = await app.request(
      '/credentials/issue',
      authed({ credential: credential(), options: { format: 'none' } }),
    );
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'UNSUPPORTED_FORMAT', path: '$.options.format' });
  });

  it.each([
    ['a proof already there', { proof: { type: 'DataIntegrityProof' } }, '$.proof'],
    [
      'its own credentialStatus',
      {
        credentialStatus: {
          type: 'BitstringStatusListEntry',
          statusListIndex: '7',
          statusListCredential: 'https://uni.example.edu/status/revocation',
        },
      },
      '$.credentialStatus',
    ],
    ['another issuer', { issuer: 'did:web:other.example' }, '$.issuer'],
    [
      'another issuer as a profile',
      { issuer: { id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', type: ['Profile'] } },
      '$.issuer',
    ],
    ['a VC 1.1 context', { '@context': ['https://www.w3.org/2018/credentials/v1'] }, '$["@context"]'],
  ])('refuses a credential with %s (INVALID_INPUT, with the path)', async (_name, extra, at) => {
    const r = await app.request('/credentials/issue', authed({ credential: credential(extra) }));
    expect(r.status).toBe(400);
    expect(await errorOf(r)).toMatchObject({ code: 'INVALID_INPUT', path: at });
  });

  it('refuses what issue() refuses with its own code: an unknown context, an undefined term', async () => {
    const unknown = await app.request(
      '/credentials/issue',
      authed({
        credential: credential({
          '@context': [
            'https://www.w3.org/ns/credentials/v2',
            'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
            'https://evil.example/context.json',
          ],
        }),
      }),
    );
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).code).toBe('UNKNOWN_CONTEXT');
    const undefinedTerm = await app.request(
      '/credentials/issue',
      authed({ credential: credential({ notATerm: 'x' }) }),
    );
    expect(undefinedTerm.status).toBe(400);
    expect((await errorOf(undefinedTerm)).code).toBe('SAFE_MODE_VIOLATION');
  });

  it('issues a plain VC 2.0 credential (no Open Badges context) naming the issuer by its DID, and verifies it', async () => {
    const plain = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      credentialSubject: { id: 'did:example:1234' },
    };
    const r = await app.request('/credentials/issue', authed({ credential: plain }));
    expect(r.status).toBe(201);
    const { verifiableCredential: vc } = (await r.json()) as { verifiableCredential: Record<string, unknown> };
    expect(vc.issuer).toBe('did:web:uni.example.edu');
    expect((await app.request('/credentials/verify', json({ verifiableCredential: vc }))).status).toBe(200);
  });

  it('issues with a context the operator added (the examples context of the W3C suites), and only then', async () => {
    const EXAMPLES = 'https://www.w3.org/ns/credentials/examples/v2';
    const alumni = {
      '@context': ['https://www.w3.org/ns/credentials/v2', EXAMPLES],
      type: ['VerifiableCredential', 'ExampleAlumniCredential'],
      credentialSubject: { id: 'did:example:abc', alumniOf: { name: 'Example University' } },
    };
    expect((await errorOf(await app.request('/credentials/issue', authed({ credential: alumni })))).code).toBe(
      'UNKNOWN_CONTEXT',
    );
    const withExamples = createServiceApp({
      workspace,
      webDir: false,
      offline: true,
      contexts: { [EXAMPLES]: { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } } },
    });
    const r = await withExamples.request('/credentials/issue', authed({ credential: alumni }));
    expect(r.status).toBe(201);
    const { verifiableCredential: vc } = (await r.json()) as { verifiableCredential: unknown };
    expect((await withExamples.request('/credentials/verify', json({ verifiableCredential: vc }))).status).toBe(200);
  });

  it('refuses without a token, with a wrong, malformed or revoked one (401, WWW-Authenticate)', async () => {
    const none = await app.request('/credentials/issue', json({ credential: credential() }));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await errorOf(none)).code).toBe('UNAUTHORIZED');
    const wrong = await app.request(
      '/credentials/issue',
      json({ credential: credential() }, { authorization: `Bearer mcs_${'A'.repeat(43)}` }),
    );
    expect(wrong.status).toBe(401);
    const basic = await app.request(
      '/credentials/issue',
      json({ credential: credential() }, { authorization: `Basic ${token}` }),
    );
    expect(basic.status).toBe(401);
    const { id, token: other } = await createServiceToken(workspace);
    expect(
      (
        await app.request(
          '/credentials/issue',
          json({ credential: credential() }, { authorization: `Bearer ${other}` }),
        )
      ).status,
    ).toBe(201);
    await revokeServiceToken(workspace, id);
    expect(
      (
        await app.request(
          '/credentials/issue',
          json({ credential: credential() }, { authorization: `Bearer ${other}` }),
        )
      ).status,
    ).toBe(401);
  });

  it('stores tokens hashed in the register: it never holds a token, the list shows no hash', async () => {
    const stored = JSON.stringify(await workspace.register.serviceTokens());
    expect(stored).not.toContain(token);
    expect(stored).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(await listServiceTokens(workspace))).not.toMatch(/[0-9a-f]{64}/);
  });

  it("moves an older workspace's service-tokens.json into the register once, keeping revocations", async () => {
    const older = await initWorkspace(path.join(dir, 'older'), {
      name: 'Older University',
      country: 'EE',
      statusBaseUrl: 'https://older.example.edu/status/',
    });
    const hash = (t: string) => createHash('sha256').update(t).digest('hex');
    const live = `mcs_${'a'.repeat(43)}`;
    const revoked = `mcs_${'b'.repeat(43)}`;
    const file = path.join(older.workspace.dir, TOKENS_FILE);
    fs.writeFileSync(
      file,
      JSON.stringify({
        tokens: [
          { id: 'live1', label: 'SIS', createdAt: '2026-01-01T00:00:00Z', sha256: hash(live) },
          { id: 'old1', createdAt: '2026-01-01T00:00:00Z', revokedAt: '2026-02-01T00:00:00Z', sha256: hash(revoked) },
        ],
      }),
    );
    // The import is cut short after the tokens are recorded (the revocation step fails once): the revoked token must
    // not be live meanwhile, on this server or any other using the register.
    const register = older.workspace.register;
    const revokeOnce = register.revokeServiceToken.bind(register);
    let failures = 1;
    register.revokeServiceToken = async (id) => {
      if (failures-- > 0) throw new Error('the database went away');
      return revokeOnce(id);
    };
    const olderApp = createServiceApp({ workspace: older.workspace, webDir: false });
    const secondApp = createServiceApp({ workspace: older.workspace, webDir: false });
    const issueWith = async (t: string, on = olderApp) =>
      (
        await on.request(
          '/credentials/issue',
          json(
            { credential: { ...credential(), issuer: older.workspace.config.did } },
            { authorization: `Bearer ${t}` },
          ),
        )
      ).status;
    expect(
      (
        await olderApp.request(
          '/credentials/issue',
          json({ credential: credential() }, { authorization: `Bearer ${live}` }),
        )
      ).status,
    ).toBe(500);
    expect(await register.isLiveServiceToken(hash(revoked))).toBe(false);
    // Two servers sharing the folder import it at the same moment: both answer, neither fails.
    expect(await Promise.all([issueWith(live), issueWith(live, secondApp)])).toEqual([201, 201]);
    expect(await issueWith(revoked)).toBe(401);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.imported`)).toBe(true);
    expect((await listServiceTokens(older.workspace)).map((t) => [t.id, t.revokedAt !== undefined])).toEqual([
      ['live1', false],
      ['old1', true],
    ]);
    await older.workspace.close();
  });

  it('refuses a body that is not JSON (415), malformed (400 MALFORMED_JSON), names a member twice (400 DUPLICATE_KEY), too large (413), or not { credential }', async () => {
    const text = await app.request('/credentials/issue', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: JSON.stringify({ credential: credential() }),
    });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const malformed = await app.request('/credentials/issue', authed('{"credential": {'));
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('MALFORMED_JSON');
    const twice = await app.request(
      '/credentials/issue',
      authed('{"credential": {"issuer": "did:web:uni.example.edu", "issuer": "did:web:other.example"}}'),
    );
    expect(twice.status).toBe(400);
    expect(await errorOf(twice)).toMatchObject({ code: 'DUPLICATE_KEY', path: '$.credential.issuer' });
    const large = await app.request(
      '/credentials/issue',
      authed({ credential: credential({ description: 'x'.repeat(300 * 1024) }) }),
    );
    expect(large.status).toBe(413);
    expect((await errorOf(large)).code).toBe('BODY_TOO_LARGE');
    const shape = await app.request('/credentials/issue', authed({ verifiableCredential: credential() }));
    expect(shape.status).toBe(400);
    expect(await errorOf(shape)).toMatchObject({ code: 'INVALID_INPUT', path: '$.credential' });
  });
});

describe('POST /credentials/verify and /presentations/verify (public, CORS)', () => {
  it('verifies a credential signed elsewhere: 200 verified, the VC API result shape', async () => {
    const key = generateKey();
    const signed = await issue(
      {
        ...credential(),
        id: 'urn:uuid:0b0e7d0e-52a4-4a53-9bd1-2ad3c7e0e9a1',
        issuer: { id: key.controller, type: ['Profile'], name: 'Elsewhere' },
      },
      { key },
    );
    const r = await app.request(
      '/credentials/verify',
      json({ verifiableCredential: signed }, { origin: 'https://employer.example' }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await r.json()) as { verified: boolean; checks: string[]; warnings: unknown[]; errors: unknown[] };
    expect(body.verified).toBe(true);
    expect((body as unknown as { verdict: { outcome: string; headline: string } }).verdict.headline).toEqual(
      expect.any(String),
    );
    expect(body.checks).toContain('proof');
    expect(body.errors).toEqual([]);
  });

  it('answers a tampered credential 400 with the failed check and its code', async () => {
    const key = generateKey();
    const signed = (await issue(
      {
        ...credential(),
        id: 'urn:uuid:0b0e7d0e-52a4-4a53-9bd1-2ad3c7e0e9a1',
        issuer: { id: key.controller, type: ['Profile'], name: 'Elsewhere' },
      },
      { key },
    )) as Record<string, unknown>;
    const r = await app.request(
      '/credentials/verify',
      json({ verifiableCredential: { ...signed, name: 'Brain surgery' } }),
    );
    expect(r.status).toBe(400);
    const body = (await r.json()) as { verified: boolean; errors: { check: string; code: string }[] };
    expect(body.verified).toBe(false);
    expect(body.errors).toContainEqual(expect.objectContaining({ check: 'proof', code: 'INVALID_SIGNATURE' }));
  });

  it('fetches what a credential names through the Node fetchers, which refuse a private address: status fails closed', async () => {
    const key = generateKey();
    const signed = await issue(
      {
        ...credential(),
        id: 'urn:uuid:0b0e7d0e-52a4-4a53-9bd1-2ad3c7e0e9a1',
        issuer: { id: key.controller, type: ['Profile'], name: 'Elsewhere' },
        credentialStatus: {
          id: 'https://127.0.0.1:9/status#5',
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '5',
          statusListCredential: 'https://127.0.0.1:9/status',
        },
      },
      { key },
    );
    const r = await app.request('/credentials/verify', json({ verifiableCredential: signed }));
    expect(r.status).toBe(400);
    const status = ((await r.json()) as { errors: { check: string; message: string }[] }).errors.find(
      (e) => e.check === 'status',
    );
    expect(status?.message).toMatch(/private|loopback|refus/i);
    // Offline, nothing is fetched at all: a list elsewhere fails closed, and the error says why.
    const elsewhere = await issue(
      {
        ...credential(),
        id: 'urn:uuid:0b0e7d0e-52a4-4a53-9bd1-2ad3c7e0e9a2',
        issuer: { id: key.controller, type: ['Profile'], name: 'Elsewhere' },
        credentialStatus: {
          id: 'https://status.example.org/list#5',
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '5',
          statusListCredential: 'https://status.example.org/list',
        },
      },
      { key },
    );
    const offline = createServiceApp({ workspace, webDir: false, offline: true });
    const r2 = await offline.request('/credentials/verify', json({ verifiableCredential: elsewhere }));
    expect(r2.status).toBe(400);
    expect(
      ((await r2.json()) as { errors: { check: string; message: string }[] }).errors.find((e) => e.check === 'status')
        ?.message,
    ).toMatch(/offline/);
    // With a fetcher of the caller's own, a foreign list goes to it and the workspace's own lists never do.
    const asked: string[] = [];
    const withOwn = createServiceApp({
      workspace,
      webDir: false,
      verifyOptions: {
        fetchStatusList: async (url) => {
          asked.push(url);
          throw new Error('not here');
        },
      },
    });
    expect((await withOwn.request('/credentials/verify', json({ verifiableCredential: elsewhere }))).status).toBe(400);
    const { verifiableCredential: ours } = (await (
      await app.request('/credentials/issue', authed({ credential: credential() }))
    ).json()) as { verifiableCredential: unknown };
    expect((await withOwn.request('/credentials/verify', json({ verifiableCredential: ours }))).status).toBe(200);
    expect(asked).toEqual(['https://status.example.org/list']);
  });

  it('answers the CORS preflight for the verify endpoints, and sends no CORS header from issue', async () => {
    const pre = await app.request('/credentials/verify', {
      method: 'OPTIONS',
      headers: { origin: 'https://employer.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const issueRes = await app.request(
      '/credentials/issue',
      json({ credential: credential() }, { origin: 'https://evil.example' }),
    );
    expect(issueRes.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bodies without a credential, malformed, wrongly typed, or with names given twice', async () => {
    const none = await app.request('/credentials/verify', json({ credential: {} }));
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toMatchObject({ code: 'INVALID_INPUT', path: '$.verifiableCredential' });
    expect((await errorOf(await app.request('/credentials/verify', json('[1,')))).code).toBe('MALFORMED_JSON');
    expect(
      (
        await app.request('/credentials/verify', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'a=b',
        })
      ).status,
    ).toBe(415);
    const twice = await app.request(
      '/credentials/verify',
      json('{"verifiableCredential": {"name": "a", "name": "b"}}'),
    );
    expect(await errorOf(twice)).toMatchObject({ code: 'DUPLICATE_KEY', path: '$.verifiableCredential.name' });
  });

  it('survives huge arrays and deep nesting inside the limit (answers, does not crash), and refuses what is over it', async () => {
    const huge = { verifiableCredential: { ...credential(), type: Array.from({ length: 150_000 }, () => 'x') } };
    const r1 = await app.request('/credentials/verify', json(huge));
    expect(r1.status).toBe(400);
    const deep = `{"verifiableCredential": {"@context": ["https://www.w3.org/ns/credentials/v2"], "credentialSubject": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    const r2 = await app.request('/credentials/verify', json(deep));
    expect([400]).toContain(r2.status);
    const over = await app.request(
      '/credentials/verify',
      json({ verifiableCredential: { padding: 'x'.repeat(2 * 1024 * 1024) } }),
    );
    expect(over.status).toBe(413);
  });

  it('verifies a presentation: result with credentialResults; challenge is passed through', async () => {
    const r = await app.request(
      '/presentations/verify',
      json({
        verifiablePresentation: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
        },
        options: { challenge: 'abc' },
      }),
    );
    expect(r.status).toBe(400);
    const body = (await r.json()) as { verified: boolean; credentialResults: unknown[]; errors: { check: string }[] };
    expect(body.verified).toBe(false);
    expect(Array.isArray(body.credentialResults)).toBe(true);
    const badOption = await app.request(
      '/presentations/verify',
      json({ verifiablePresentation: {}, options: { challenge: 7 } }),
    );
    expect(await errorOf(badOption)).toMatchObject({ code: 'INVALID_INPUT', path: '$.options.challenge' });
  });
});

describe('POST /credentials/status', () => {
  it('revokes with a reason (token), republishes the hosted list, and verify then says revoked', async () => {
    const { verifiableCredential: vc } = (await (
      await app.request('/credentials/issue', authed({ credential: credential() }))
    ).json()) as { verifiableCredential: Record<string, unknown> };
    const r = await app.request(
      '/credentials/status',
      authed({
        credentialId: vc.id,
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
        reason: 'grade annulled, decision 2026/14',
      }),
    );
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ credentialId: vc.id, recorded: true, status: { revoked: true } });
    const v = await app.request('/credentials/verify', json({ verifiableCredential: vc }));
    expect(v.status).toBe(400);
    expect(((await v.json()) as { errors: { code: string }[] }).errors).toContainEqual(
      expect.objectContaining({ code: 'REVOKED' }),
    );
    // Revocation is final: the register refuses, the service says so.
    const back = await app.request(
      '/credentials/status',
      authed({
        credentialId: vc.id,
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'active' }],
        reason: 'undo',
      }),
    );
    expect(back.status).toBe(400);
    expect((await errorOf(back)).code).toBe('STATUS_ERROR');
  });

  it('records the token that made the change as its actor; what the body claims is kept beside it, not instead', async () => {
    const tokenId = (await listServiceTokens(workspace)).find((t) => t.label === 'student information system')?.id;
    expect(tokenId).toBeTruthy();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { verifiableCredential: vc } = (await (
        await app.request('/credentials/issue', authed({ credential: credential() }))
      ).json()) as { verifiableCredential: { id: string } };
      ids.push(vc.id);
    }
    // A token holder names someone else as the author of a revocation.
    const forged = await app.request(
      '/credentials/status',
      authed({
        credentialId: ids[0],
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
        reason: 'r',
        actor: 'registrar.jane',
      }),
    );
    expect(forged.status).toBe(200);
    const [change] = await workspace.register.statusHistory(ids[0] as string);
    expect(change?.actor).toBe(`service token ${tokenId} for "registrar.jane"`);
    await app.request(
      '/credentials/status',
      authed({
        credentialId: ids[1],
        credentialStatus: [{ type: 'BitstringStatusListEntry', status: 'revoked' }],
        reason: 'r',
      }),
    );
    expect((await workspace.register.statusHistory(ids[1] as string))[0]?.actor).toBe(`service token ${tokenId}`);
  });

  it('refuses without a token, an unknown credential (404), no reason, an unknown status', async () => {
    expect(
      (
        await app.request(
          '/credentials/status',
          json({ credentialId: 'urn:uuid:x', credentialStatus: [{ status: 'revoked' }], reason: 'r' }),
        )
      ).status,
    ).toBe(401);
    const unknown = await app.request(
      '/credentials/status',
      authed({
        credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000',
        credentialStatus: [{ status: 'revoked' }],
        reason: 'r',
      }),
    );
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('NOT_FOUND');
    const noReason = await app.request(
      '/credentials/status',
      authed({ credentialId: 'urn:uuid:x', credentialStatus: [{ status: 'revoked' }] }),
    );
    expect(await errorOf(noReason)).toMatchObject({ code: 'MISSING_ELEMENT', path: '$.reason' });
    const badStatus = await app.request(
      '/credentials/status',
      authed({ credentialId: 'urn:uuid:x', credentialStatus: [{ status: 'deleted' }], reason: 'r' }),
    );
    expect(await errorOf(badStatus)).toMatchObject({ code: 'INVALID_INPUT', path: '$.credentialStatus[0].status' });
  });
});

describe('hosting', () => {
  it('serves the status list at the path its URL names, signed by the workspace', async () => {
    const r = await app.request('/status/revocation');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vc+ld+json');
    const list = (await r.json()) as Record<string, unknown>;
    expect(list.id).toBe('https://uni.example.edu/status/revocation');
    expect(
      (
        await verify(list, {
          resolveDocument: async () => JSON.parse(fs.readFileSync(path.join(workspace.dir, 'did.json'), 'utf8')),
        })
      ).checks.find((c) => c.check === 'proof')?.status,
    ).toBe('pass');
  });

  it('serves the SD-JWT VC type metadata at the vct path and under /.well-known/vct/', async () => {
    const vctPath = new URL(EU_MICROCREDENTIAL_VCT).pathname;
    for (const at of [vctPath, `/.well-known/vct${vctPath}`]) {
      const r = await app.request(at);
      expect(r.status, at).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      expect(await r.json()).toEqual(EU_MICROCREDENTIAL_TYPE_METADATA);
    }
  });

  it('serves the did:web document at its well-known path', async () => {
    const r = await app.request('/.well-known/did.json');
    expect(r.status).toBe(200);
    expect(((await r.json()) as { id: string }).id).toBe('did:web:uni.example.edu');
  });

  it('serves contexts and vocabulary pages, and the verifier page with a strict CSP', async () => {
    const ctx = await app.request('/contexts/microcredentials-v1.jsonld');
    expect(ctx.status).toBe(200);
    expect(ctx.headers.get('content-type')).toBe('application/ld+json');
    expect((await app.request('/vocab/ns.html')).status).toBe(200);
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).not.toContain('unsafe');
    expect((await app.request('/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);
  });

  it.each([
    '/contexts/../package.json',
    '/contexts/%2e%2e/package.json',
    '/contexts/..%2fpackage.json',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/vocab/..%5c..%5cpackage.json',
    '/status/../microcred.json',
    '/keys/issuer-key.json',
    '/microcred.json',
    '/service-tokens.json',
  ])('finds nothing outside the hosted tables: %s', async (p) => {
    const r = await app.request(p);
    expect(r.status).toBe(404);
    expect((await errorOf(r)).code).toBe('NOT_FOUND');
  });

  it('answers /health for a load balancer while the register answers', async () => {
    const r = await app.request('/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('answers /health 503 once the register no longer answers', async () => {
    const second = await openWorkspace(workspace.dir);
    const other = createServiceApp({ workspace: second, webDir: false });
    await second.close();
    const r = await other.request('/health');
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'unavailable' });
  });

  it('answers 503 with Retry-After, and no driver detail, when the register stops answering after the token check', async () => {
    const second = await openWorkspace(workspace.dir);
    const logged: string[] = [];
    const other = createServiceApp({ workspace: second, webDir: false, log: (l) => logged.push(l) });
    const driverSays = 'connect ECONNREFUSED 10.0.0.5:5432 (SELECT * FROM issuance WHERE credential_id = $1)';
    second.register.findByCredentialId = async () => {
      throw new MicrocredError('REGISTER_UNAVAILABLE', driverSays);
    };
    try {
      const r = await other.request(
        '/credentials/status',
        authed({ credentialId: 'urn:uuid:1', credentialStatus: [{ status: 'revoked' }], reason: 'r' }),
      );
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      const text = await r.text();
      expect(JSON.parse(text).error.code).toBe('REGISTER_UNAVAILABLE');
      expect(text).not.toContain('10.0.0.5');
      expect(text).not.toContain('SELECT');
      // The operator's log keeps the cause the answer leaves out.
      expect(logged).toContain(`error POST /credentials/status: REGISTER_UNAVAILABLE: ${driverSays}`);
    } finally {
      await second.close();
    }
  });

  it('answers 503 with Retry-After, not 500, when the register is down before the token can be checked', async () => {
    const second = await openWorkspace(workspace.dir);
    const logged: string[] = [];
    const other = createServiceApp({ workspace: second, webDir: false, log: (l) => logged.push(l) });
    second.register.isLiveServiceToken = async () => {
      throw new MicrocredError('REGISTER_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:5432');
    };
    try {
      const r = await other.request(
        '/credentials/status',
        authed({ credentialId: 'urn:uuid:1', credentialStatus: [{ status: 'revoked' }], reason: 'r' }),
      );
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect((await errorOf(r)).code).toBe('REGISTER_UNAVAILABLE');
      expect(logged.some((l) => l.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('serves an OpenAPI description naming every VC API path', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/credentials/issue',
      '/credentials/verify',
      '/presentations/verify',
      '/credentials/status',
      '/oid4vci/token',
      '/oid4vci/credential',
    ])
      expect(doc.paths).toHaveProperty([p]);
  });

  it('logs method, path, status and time only: no token, no body, no learner', () => {
    const all = logLines.join('\n');
    expect(all).toMatch(/^POST \/credentials\/issue 201 \d/m);
    expect(all).not.toContain(token);
    expect(all).not.toContain('did:example:learner-1');
    expect(all).not.toContain('grade annulled');
  });
});
