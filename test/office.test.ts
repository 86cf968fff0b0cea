import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { definitionFromData } from '../src';
import { initWorkspace, issueRoster, openWorkspace, type Workspace } from '../src/node';

const DEFINITION = path.resolve('examples/rei-programme.yaml');
const PART = 'Critical thinking and argumentation';
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-office-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function office(name: string): Promise<Workspace> {
  const { workspace } = await initWorkspace(path.join(tmp, name), {
    name: 'University of Tartu',
    country: 'EE',
    statusBaseUrl: 'https://www.ut.ee/status/',
  });
  return workspace;
}

function definition(workspace: Workspace) {
  const data = parseYaml(fs.readFileSync(DEFINITION, 'utf8')) as Record<string, unknown>;
  const issuer = workspace.config.issuer;
  return definitionFromData({
    ...data,
    issuer: { id: issuer.id, name: issuer.name, country: issuer.address!.addressCountryCode! },
  }).definition;
}

/** Identifiers that collided under the old slug() file names: non-Latin, accented, case and punctuation variants. */
function hardRoster(rows: number): string[] {
  const seeds = [
    ['email', '王伟@example.cn', '王伟'],
    ['email', '李娜@example.cn', '李娜'],
    ['email', 'a+b@example.org', 'A B'],
    ['email', 'a-b@example.org', 'A B'],
    ['email', 'José@example.es', 'José García'],
    ['email', 'Jose@example.es', 'Jose Garcia'],
    ['email', 'jose@example.es', 'jose garcia'],
    ['studentId', 'S-001', 'Mari Maasikas'],
    ['studentId', 'S/001', 'Mari Maasikas'],
    ['studentId', 's-001', 'Mari Maasikas'],
    ['email', 'Ørsted@example.dk', 'Ørsted'],
    ['email', 'oersted@example.dk', 'Oersted'],
  ] as const;
  const lines = ['email,student id,name,grade,part'];
  for (let i = 0; i < rows; i++) {
    const [kind, id, name] = seeds[i % seeds.length]!;
    const round = Math.floor(i / seeds.length);
    // Same shape every round, with a suffix that keeps rows distinct learners: …1@, …2@ or S-001.1, S/001.1.
    const value = kind === 'email' ? id.replace('@', `${round}@`) : `${id}.${round}`;
    const cells = kind === 'email' ? [value, '', name] : ['', value, name];
    lines.push([...cells.map((c) => `"${c.replace(/"/g, '""')}"`), 'ABCDE'[i % 5], PART].join(','));
  }
  return lines;
}

describe('no lost credentials', () => {
  it('2,000 learners with colliding-looking identifiers get 2,000 distinct files, one to one with the register', async () => {
    const workspace = await office('collisions');
    const rosterFile = path.join(tmp, 'hard.csv');
    fs.writeFileSync(rosterFile, hardRoster(2000).join('\n') + '\n');
    const out = path.join(tmp, 'collisions-out');
    try {
      const summary = await issueRoster(workspace, definition(workspace), rosterFile, {
        format: 'eddsa-jcs-2022',
        outDir: out,
      });
      expect(summary.problems).toEqual([]);
      expect(summary.issued).toBe(2000);
      const files = fs.readdirSync(out).sort();
      expect(files).toHaveLength(2000);
      const records = await workspace.register.listIssued();
      expect(records).toHaveLength(2000);
      // One to one: every record names a distinct file, every file on disk is named by exactly one record, and
      // each file holds the credential its record says (id and SHA-256).
      expect(new Set(records.map((r) => r.file)).size).toBe(2000);
      expect(records.map((r) => path.basename(r.file!)).sort()).toEqual(files);
      const { createHash } = await import('node:crypto');
      for (const r of records) {
        const bytes = fs.readFileSync(r.file!);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.credentialHash);
        expect((JSON.parse(bytes.toString('utf8')) as { id: string }).id).toBe(r.credentialId);
        expect(fs.statSync(r.file!).mode & 0o777).toBe(0o600);
      }
      // No learner's email in any file name.
      expect(files.filter((f) => f.includes('@'))).toEqual([]);
      // The register holds no identifier in plain text: keyed references and masked labels only.
      expect(records.every((r) => /^learner:[0-9a-f]{32}$/.test(r.learnerRef))).toBe(true);
      expect(records.some((r) => r.learnerLabel === '王***@example.cn')).toBe(true);
      // Re-running issues nothing and rewrites nothing.
      const again = await issueRoster(workspace, definition(workspace), rosterFile, {
        format: 'eddsa-jcs-2022',
        outDir: out,
      });
      expect([again.issued, again.skipped]).toEqual([0, 2000]);
    } finally {
      await workspace.close();
    }
  }, 240_000);
});

describe('register keys', () => {
  it('refuses a row identified only by a name, and keeps two learners with one name apart by their email', async () => {
    const workspace = await office('names');
    const rosterFile = path.join(tmp, 'names.csv');
    fs.writeFileSync(
      rosterFile,
      `name,email,grade,part\nMari Maasikas,,A,${PART}\nMari Maasikas,mari1@example.ee,A,${PART}\nMari Maasikas,mari2@example.ee,B,${PART}\n`,
    );
    try {
      const summary = await issueRoster(workspace, definition(workspace), rosterFile, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'names-out'),
      });
      expect(summary.issued).toBe(2);
      expect(summary.problems).toHaveLength(1);
      expect(summary.problems[0]).toMatchObject({ line: 2 });
      expect(summary.problems[0]!.message).toMatch(/name alone/);
    } finally {
      await workspace.close();
    }
  }, 60_000);

  it('a roster run again after a revocation says the learner holds a revoked credential, not plain "already issued"', async () => {
    const workspace = await office('revoked-again');
    const rosterFile = path.join(tmp, 'revoked-again.csv');
    fs.writeFileSync(rosterFile, `email,grade,part\nmari@example.ee,A,${PART}\njuri@example.ee,B,${PART}\n`);
    const options = { format: 'eddsa-jcs-2022' as const, outDir: path.join(tmp, 'revoked-again-out') };
    try {
      await issueRoster(workspace, definition(workspace), rosterFile, options);
      const [mari] = await workspace.register.listIssued({ limit: 1 });
      await workspace.register.setStatus({
        credentialId: mari!.credentialId,
        purpose: 'revocation',
        value: true,
        reason: 'Grade annulled',
      });
      const again = await issueRoster(workspace, definition(workspace), rosterFile, options);
      expect([again.issued, again.skipped]).toEqual([0, 2]);
      expect(again.inactive).toEqual([{ line: 2, message: expect.stringMatching(/revoked: nothing issued/) }]);
      expect(again.inactive[0]!.message).toContain(mari!.credentialId);
    } finally {
      await workspace.close();
    }
  }, 60_000);
});

describe('rosters as offices export them', () => {
  const rows = [
    ['mari@example.ee', 'Mari Maasikas', 'A'],
    ['jüri@example.ee', 'Jüri Õunapuu', 'B'],
    ['zoë@example.fr', 'Zoë Müller; "the elder"', 'C'],
  ];
  const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const variants: Record<string, () => Buffer> = {
    semicolon: () =>
      Buffer.from(
        ['E-mail;Full Name;Grade;Part', ...rows.map((r) => [...r, PART].map(quote).join(';'))].join('\r\n') + '\r\n',
      ),
    tab: () =>
      Buffer.from(
        [
          'Email\tName\tGrade\tPart',
          ...rows.map((r) => [r[0], r[1]!.replace(/[;"]/g, ''), r[2], PART].join('\t')),
        ].join('\n') + '\n',
      ),
    bom: () =>
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(['email,name,grade,part', ...rows.map((r) => [...r, PART].map(quote).join(','))].join('\n') + '\n'),
      ]),
    capitalised: () =>
      Buffer.from(
        [' EMAIL , Name ,GRADE, Part ', ...rows.map((r) => [...r, PART].map(quote).join(','))].join('\n') + '\n',
      ),
  };
  for (const [variant, make] of Object.entries(variants)) {
    it(`a ${variant} roster issues every row`, async () => {
      const workspace = await office(`roster-${variant}`);
      const file = path.join(tmp, `${variant}.csv`);
      fs.writeFileSync(file, make());
      try {
        const summary = await issueRoster(workspace, definition(workspace), file, {
          format: 'eddsa-jcs-2022',
          outDir: path.join(tmp, `${variant}-out`),
        });
        expect(summary.problems).toEqual([]);
        expect(summary.issued).toBe(3);
        // The hashed email inside the credential matches the learner's real address (no U+FFFD, no BOM, no quotes).
        const { matchesIdentity } = await import('../src');
        const first = JSON.parse(fs.readFileSync(summary.files[1]!, 'utf8')) as {
          credentialSubject: { identifier: Parameters<typeof matchesIdentity>[0][] };
        };
        expect(
          first.credentialSubject.identifier.some(
            (i) => i.identityType === 'emailAddress' && matchesIdentity(i, 'jüri@example.ee'),
          ),
        ).toBe(true);
      } finally {
        await workspace.close();
      }
    }, 60_000);
  }

  it('a cp1252 roster is refused with its line, and decoded correctly with encoding cp1252', async () => {
    const workspace = await office('cp1252');
    const file = path.join(tmp, 'cp1252.csv');
    // "jüri" and "Œ" in Windows-1252: 0xFC and 0x8C are not valid UTF-8.
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`email,name,grade,part\nmari@example.ee,Mari,A,${PART}\nj`),
        Buffer.from([0xfc]),
        Buffer.from(`ri@example.ee,J`),
        Buffer.from([0xfc]),
        Buffer.from(`ri `),
        Buffer.from([0x8c]),
        Buffer.from(`uvre,B,${PART}\n`),
      ]),
    );
    try {
      const refused = await issueRoster(workspace, definition(workspace), file, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'cp-out'),
      });
      expect(refused.issued).toBe(0);
      expect(refused.problems).toHaveLength(1);
      expect(refused.problems[0]!.line).toBe(3);
      expect(refused.problems[0]!.message).toMatch(/not valid utf-8.*--encoding cp1252/);
      const decoded = await issueRoster(workspace, definition(workspace), file, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'cp-out'),
        roster: { encoding: 'cp1252' },
      });
      expect(decoded.problems).toEqual([]);
      expect(decoded.issued).toBe(2);
      const { matchesIdentity } = await import('../src');
      const juri = JSON.parse(fs.readFileSync(decoded.files[1]!, 'utf8')) as {
        credentialSubject: { identifier: Parameters<typeof matchesIdentity>[0][] };
      };
      expect(
        juri.credentialSubject.identifier.some((i) => i.identityType === 'name' && matchesIdentity(i, 'Jüri Œuvre')),
      ).toBe(true);
    } finally {
      await workspace.close();
    }
  }, 60_000);
});

describe('status publish is atomic and checked', () => {
  it('a failure at any step (full disk, kill) leaves the previous complete list: a revoked credential never verifies', async () => {
    const { publishStatusLists } = await import('../src/node');
    const { verify } = await import('../src');
    const workspace = await office('publish');
    const rosterFile = path.join(tmp, 'publish.csv');
    fs.writeFileSync(rosterFile, `email,grade,part\na@example.ee,A,${PART}\nb@example.ee,B,${PART}\n`);
    try {
      const summary = await issueRoster(workspace, definition(workspace), rosterFile, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'publish-out'),
      });
      const [a, b] = summary.files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { id: string });
      await workspace.register.setStatus({
        credentialId: a!.id,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      const dir = path.join(tmp, 'publish-status');
      const [first] = await publishStatusLists(workspace, { outDir: dir });
      const good = fs.readFileSync(first!.file);
      await workspace.register.setStatus({
        credentialId: b!.id,
        purpose: 'revocation',
        value: true,
        reason: 'annulled too',
      });
      const revokedA = async () => {
        const report = await verify(a as object, {
          fetchStatusList: async () => JSON.parse(fs.readFileSync(first!.file, 'utf8')) as unknown,
        });
        return !report.verified && report.checks.some((c) => c.code === 'REVOKED');
      };
      expect(await revokedA()).toBe(true);
      const fsReal = {
        openSync: fs.openSync,
        writeSync: (fd: number, d: Uint8Array) => fs.writeSync(fd, d),
        fsyncSync: fs.fsyncSync,
        closeSync: fs.closeSync,
        renameSync: fs.renameSync,
        readFileSync: (f: string) => fs.readFileSync(f),
        rmSync: fs.rmSync,
      };
      const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const failures: Record<string, Partial<typeof fsReal>> = {
        open: {
          openSync: () => {
            throw enospc();
          },
        },
        'write (disk full after 512 bytes)': {
          writeSync: (fd, d) => {
            if (d.length > 512) {
              fs.writeSync(fd, d.subarray(0, 512));
              throw enospc();
            }
            return fs.writeSync(fd, d);
          },
        },
        'write (a short write, then the disk is full)': {
          writeSync: (() => {
            let n = 0;
            return (fd: number, d: Uint8Array) => {
              if (n++ === 0) return fs.writeSync(fd, d.subarray(0, 100));
              throw enospc();
            };
          })(),
        },
        fsync: {
          fsyncSync: () => {
            throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
          },
        },
        'read back (torn write)': { readFileSync: (f) => fs.readFileSync(f).subarray(0, 512) },
        rename: {
          renameSync: () => {
            throw Object.assign(new Error('killed'), { code: 'EINTR' });
          },
        },
      };
      for (const [step, broken] of Object.entries(failures)) {
        const error = await publishStatusLists(workspace, { outDir: dir, io: { ...fsReal, ...broken } }).then(
          () => undefined,
          (e: unknown) => e as { code: string; message: string },
        );
        expect(error?.code, step).toBe('STATUS_ERROR');
        expect(error!.message).toMatch(/previously published revocation\.json is unchanged/);
        expect(fs.readFileSync(first!.file).equals(good), step).toBe(true);
        expect(await revokedA(), step).toBe(true);
        expect(fs.readdirSync(dir).sort(), step).toEqual(['.microcred-published.json', 'revocation.json']);
      }
      // And when nothing fails, the new list (both revoked) replaces the old one.
      const [again] = await publishStatusLists(workspace, { outDir: dir });
      expect(again!.set).toBe(2);
      expect(await revokedA()).toBe(true);
    } finally {
      await workspace.close();
    }
  }, 60_000);
});

describe('status lists roll over', () => {
  it('a full list starts the next one automatically, and publish writes both', async () => {
    const { publishStatusLists } = await import('../src/node');
    const { openDatabase } = await import('../src/node/register/driver');
    const workspace = await office('rollover');
    const first = workspace.config.statusList;
    // Fill all but the last index of the first list directly (issuing 131,071 credentials would take minutes).
    const raw = await openDatabase(path.join(workspace.dir, workspace.config.registerFile!));
    raw.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 131071)
      INSERT INTO allocations (list_id, idx, allocated_at) SELECT '${first}', i, 'x' FROM n`);
    raw.close();
    const rosterFile = path.join(tmp, 'rollover.csv');
    fs.writeFileSync(
      rosterFile,
      `email,grade,part\na@example.ee,A,${PART}\nb@example.ee,B,${PART}\nc@example.ee,C,${PART}\n`,
    );
    try {
      const summary = await issueRoster(workspace, definition(workspace), rosterFile, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'rollover-out'),
      });
      expect(summary.problems).toEqual([]);
      const entries = summary.files.map(
        (f) =>
          (
            JSON.parse(fs.readFileSync(f, 'utf8')) as {
              credentialStatus: { statusListCredential: string; statusListIndex: string };
            }
          ).credentialStatus,
      );
      expect(entries[0]).toMatchObject({ statusListCredential: first, statusListIndex: '131071' });
      expect(entries.slice(1).map((e) => e.statusListCredential)).toEqual([`${first}-2`, `${first}-2`]);
      expect((await workspace.statusLists()).map((l) => [l.id, l.allocated])).toEqual([
        [first, 131072],
        [`${first}-2`, 2],
      ]);
      const published = await publishStatusLists(workspace, { outDir: path.join(tmp, 'rollover-status') });
      expect(published.map((p) => path.basename(p.file))).toEqual(['revocation.json', 'revocation-2.json']);
    } finally {
      await workspace.close();
    }
  }, 60_000);
});

describe('the workspace guards itself', () => {
  it("refuses to open with a signing key that is not the issuer DID's (a swapped key file)", async () => {
    const { MicrocredError } = await import('../src');
    const a = await office('key-a');
    const b = await office('key-b');
    await a.close();
    await b.close();
    fs.copyFileSync(path.join(b.dir, b.config.keyFile), path.join(a.dir, a.config.keyFile));
    const error = await openWorkspace(a.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MicrocredError);
    expect((error as InstanceType<typeof MicrocredError>).code).toBe('INVALID_KEY');
    expect((error as Error).message).toMatch(/does not belong to this workspace's issuer/);
    // A key file whose controller line was edited to match, but whose key is another: still refused.
    const stored = JSON.parse(fs.readFileSync(path.join(a.dir, a.config.keyFile), 'utf8')) as Record<string, string>;
    fs.writeFileSync(
      path.join(a.dir, a.config.keyFile),
      JSON.stringify({ secretKeyMultibase: stored.secretKeyMultibase }),
    );
    expect(
      await openWorkspace(a.dir).then(
        () => 'opened',
        (e: { code: string }) => e.code,
      ),
    ).toBe('INVALID_KEY');
  });

  it('a deleted or moved register is reported, never recreated empty', async () => {
    const w = await office('lost-register');
    await w.close();
    const file = path.join(w.dir, w.config.registerFile!);
    fs.renameSync(file, `${file}.moved`);
    const error = await openWorkspace(w.dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/register .* is missing \(deleted or moved\)/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('init under umask 000 leaves nothing group- or world-writable, and the secrets 0600', async () => {
    const old = process.umask(0);
    try {
      const w = await office('umask');
      await w.close();
      const mode = (f: string) => fs.statSync(path.join(w.dir, f)).mode & 0o777;
      expect(mode('microcred.json')).toBe(0o600);
      expect(mode(w.config.keyFile)).toBe(0o600);
      expect(mode(w.config.identitySecretFile!)).toBe(0o600);
      expect(mode(w.config.registerFile!)).toBe(0o600);
      expect(mode('keys')).toBe(0o700);
      expect(mode('.') & 0o022).toBe(0);
    } finally {
      process.umask(old);
    }
  });
});

describe('roster headers', () => {
  it('a roster whose header names no learner column is refused once, with the headers it found', async () => {
    const { readRoster } = await import('../src/node');
    const file = path.join(tmp, 'no-learner.csv');
    fs.writeFileSync(file, 'Courriel électronique,Note\nmari@example.ee,A\njuri@example.ee,B\n');
    const rows = [];
    for await (const row of readRoster(file)) rows.push(row);
    expect(rows).toEqual([
      {
        line: 1,
        fatal: true,
        message: expect.stringMatching(/no column names the learner \(found "Courriel électronique", "Note"\)/),
      },
    ]);
  });
});

describe('init: the status URL', () => {
  it('refuses a public plain-http prefix, which no verifier would fetch; keeps http for a loopback test server', async () => {
    const at = (name: string, statusBaseUrl: string) =>
      initWorkspace(path.join(tmp, name), { name: 'University of Tartu', country: 'EE', statusBaseUrl });
    await expect(at('http-public', 'http://www.ut.ee/status/')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/https only/),
    });
    // Refused before anything is written: the folder can be initialised once the address is right.
    expect(fs.existsSync(path.join(tmp, 'http-public', 'keys'))).toBe(false);
    const { workspace } = await at('http-loopback', 'http://127.0.0.1:8711/status/');
    await workspace.close();
  });
});
