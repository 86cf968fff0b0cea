/**
 * What the CLI tells a registrar to do next works as typed: every hint that repeats a command repeats the workspace
 * they gave (-w, or init's folder), and counts agree with their nouns ("1 offer", not "1 offers").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli';

const DEFINITION = path.join(__dirname, '../examples/rei-programme.yaml');
let dir: string;
let ws: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-hints-'));
  ws = path.join(dir, 'ut office');
  const init = cli([
    'init',
    ws,
    '--name',
    'University of Tartu',
    '--country',
    'EE',
    '--status-url',
    'https://www.ut.ee/status/',
  ]);
  expect(init.code, init.stderr).toBe(0);
  // init's folder, quoted for a shell (it has a space).
  expect(init.stdout).toContain(`publish with "microcred status publish -w '${ws}'"`);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('next-step hints repeat the workspace the registrar gave', () => {
  it('revoke says "microcred status publish -w <workspace>"', () => {
    const issued = cli([
      'issue',
      '-w',
      ws,
      '-d',
      DEFINITION,
      '--learner',
      'mari@example.ee',
      '--grade',
      'A',
      '--part',
      'Basics of ethics',
      '--out',
      path.join(dir, 'out'),
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    const revoked = cli([
      'revoke',
      '-w',
      ws,
      '--learner',
      'mari@example.ee',
      '--achievement',
      'basics-of-ethics',
      '--reason',
      'Grade annulled',
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Run "microcred status publish -w '${ws}'" to publish it`);
    // Whose credential it was, so the registrar sees they revoked the one they meant.
    expect(revoked.stdout).toMatch(
      /^ {2}the credential of m\*+@example\.ee for basics-of-ethics, issued \d{4}-\d\d-\d\d$/m,
    );
  }, 120_000);

  it('token hints too', () => {
    const tokens = cli(['token', 'list', '-w', ws]);
    expect(tokens.stdout).toContain(`No tokens yet ("microcred token create -w '${ws}'")`);
    const created = cli(['token', 'create', '-w', ws]);
    expect(created.stderr).toMatch(new RegExp(`Revoke it with "microcred token revoke [\\w-]+ -w '${ws}'"`));
  }, 120_000);
});

describe('counts agree with their nouns', () => {
  it('one offer, valid one day, one roster line skipped', () => {
    const roster = path.join(dir, 'one.csv');
    fs.writeFileSync(
      roster,
      'email,name,part,grade\nmari@example.ee,Mari Maasikas,Critical thinking and argumentation,A\n,Only A Name,,\n',
    );
    const r = cli([
      'offer',
      '-w',
      ws,
      '-d',
      DEFINITION,
      '--roster',
      roster,
      '--public-url',
      'https://uni.example.edu',
      '--out',
      path.join(dir, 'offers'),
      '--expires-days',
      '1',
    ]);
    expect(r.stdout).toMatch(/^1 offer in .* valid 1 day; 1 roster line skipped\./m);
  }, 120_000);

  it('status publish counts credentials revoked in the list, in words', () => {
    const r = cli(['status', 'publish', '-w', ws]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(1 credential revoked in it, checked after writing/);
  }, 120_000);
});
