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
  const { workspace } = await initWorkspace(path.join(tmp, name), { name: 'University of Tartu', country: 'EE', statusBaseUrl: 'https://www.ut.ee/status/' });
  return workspace;
}

function definition(workspace: Workspace) {
  const data = parseYaml(fs.readFileSync(DEFINITION, 'utf8')) as Record<string, unknown>;
  const issuer = workspace.config.issuer;
  return definitionFromData({ ...data, issuer: { id: issuer.id, name: issuer.name, country: issuer.address!.addressCountryCode! } }).definition;
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
    lines.push([...cells.map((c) => `"${c.replace(/"/g, '""')}"`), 'ABCDEF'[i % 6], PART].join(','));
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
      const summary = await issueRoster(workspace, definition(workspace), rosterFile, { format: 'eddsa-jcs-2022', outDir: out });
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
      const again = await issueRoster(workspace, definition(workspace), rosterFile, { format: 'eddsa-jcs-2022', outDir: out });
      expect([again.issued, again.skipped]).toEqual([0, 2000]);
    } finally {
      await workspace.close();
    }
  }, 240_000);
});
