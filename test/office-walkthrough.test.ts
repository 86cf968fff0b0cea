import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli';

// A new registrar following docs/cli.md with a real student information system's export: an ID column first,
// Title Case course names and short ids, an e-mail and a student number per row, one failing grade, a relative
// --out, and later commands run from another directory.
const DEFINITION = fileURLToPath(new URL('../examples/rei-programme.yaml', import.meta.url));
let tmp: string;
let office: string;
let first: { code: number; stdout: string; stderr: string };

type Summary = {
  issued: number;
  skipped: number;
  problems: { line: number; message: string }[];
  notAwarded: { line: number; message: string }[];
  files: string[];
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-walkthrough-'));
  office = path.join(tmp, 'ut-office');
  const init = cli(['init', 'ut-office', '--profile', DEFINITION, '--status-url', 'https://www.ut.ee/status/'], {
    cwd: tmp,
  });
  expect(init.code, init.stderr).toBe(0);
  const rows = [
    'ID,Email,Student number,Grade,Course',
    '1,mari@example.ee,B100001,A,Critical Thinking and Argumentation',
    '2,mari@example.ee,B100001,B,basics-of-ethics',
    '3,mari@example.ee,B100001,A,  research   integrity ',
    '4,mari@example.ee,B100001,pass,Ethics in an Organization',
    '5,mari@example.ee,B100001,pass,https://www.ut.ee/en/micro-credentials/academic-research-integrity/workplace-applications',
    '6,jaan@example.ee,B100002,F,Basics of ethics',
    '7,kai@example.ee,B100003,B,Basic Ethics',
    '8,liis@example.ee,B100004,pass,ethics-in-an-organization',
  ];
  fs.writeFileSync(path.join(tmp, 'autumn.csv'), rows.join('\n') + '\n');
  first = cli(
    ['issue', '-w', 'ut-office', '--definition', DEFINITION, '--roster', 'autumn.csv', '--out', 'out/', '--json'],
    { cwd: tmp },
  );
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the registrar walkthrough', () => {
  it('reads parts by Title Case name, short id, full IRI and loose spacing, and an ID column is not a DID', () => {
    const summary = JSON.parse(first.stdout) as Summary;
    expect(summary.issued, first.stderr).toBe(6);
    expect(summary.problems.map((p) => p.line)).toEqual([8]);
  });

  it('an unknown part lists the valid names and short ids', () => {
    const [unknown] = (JSON.parse(first.stdout) as Summary).problems;
    expect(unknown!.message).toMatch(/no part "Basic Ethics"/);
    expect(unknown!.message).toMatch(/"Basics of ethics" \(basics-of-ethics\)/);
    expect(unknown!.message).toMatch(/"Critical thinking and argumentation" \(critical-thinking\)/);
  });

  it('a failing grade is not awarded, and nothing is reserved for it', () => {
    const summary = JSON.parse(first.stdout) as Summary;
    expect(summary.notAwarded).toEqual([
      { line: 7, message: expect.stringMatching(/^not awarded: F is below the lowest passing grade E/) },
    ]);
    const listed = JSON.parse(cli(['list', '-w', office, '--json']).stdout) as unknown[];
    expect(listed).toHaveLength(6);
  });

  it("carries the definition's issuer details (web address, e-mail, address, Erasmus code, ROR id) into the credential", () => {
    const file = (JSON.parse(first.stdout) as Summary).files[0]!;
    const credential = JSON.parse(fs.readFileSync(path.resolve(tmp, file), 'utf8')) as {
      issuer: Record<string, unknown>;
    };
    expect(credential.issuer).toMatchObject({
      id: expect.stringMatching(/^did:key:/),
      name: 'University of Tartu',
      url: 'https://www.ut.ee/en',
      email: 'info@ut.ee',
      address: expect.objectContaining({
        addressCountryCode: 'EE',
        addressLocality: 'Tartu',
        streetAddress: 'Ülikooli 18',
        postalCode: '50090',
      }),
      otherIdentifier: expect.arrayContaining([
        expect.objectContaining({ identifier: 'https://ror.org/03z77qz90' }),
        expect.objectContaining({ identifier: 'EE TARTU02' }),
      ]),
    });
  });

  it('every identifier of a row finds the learner: find, revoke and transcript by student number', () => {
    const byStudentNumber = JSON.parse(
      cli(['find', '-w', office, '--learner', 'B100001', '--json']).stdout,
    ) as unknown[];
    expect(byStudentNumber).toHaveLength(5);
    const transcript = cli([
      'transcript',
      '-w',
      office,
      '--learner',
      'B100001',
      '--out',
      path.join(tmp, 'by-number.json'),
    ]);
    expect(transcript.code, transcript.stderr).toBe(0);
    const revoke = cli([
      'revoke',
      '-w',
      office,
      '--learner',
      'B100004',
      '--achievement',
      'ethics-in-an-organization',
      '--reason',
      'test: found by student number',
    ]);
    expect(revoke.code, revoke.stderr).toBe(0);
  });

  it("next semester's export with only student numbers issues nothing new; a row naming two learners is refused", () => {
    const rows = ['Student number,Grade,Course', 'B100001,A,critical-thinking', 'B100001,pass,workplace-applications'];
    fs.writeFileSync(path.join(tmp, 'spring.csv'), rows.join('\n') + '\n');
    const spring = cli(
      ['issue', '-w', 'ut-office', '--definition', DEFINITION, '--roster', 'spring.csv', '--out', 'out/', '--json'],
      { cwd: tmp },
    );
    expect(JSON.parse(spring.stdout)).toMatchObject({ issued: 0, skipped: 2, problems: [] });
    fs.writeFileSync(
      path.join(tmp, 'mixed.csv'),
      ['Email,Student number,Grade,Course', 'mari@example.ee,B100004,A,basics-of-ethics'].join('\n') + '\n',
    );
    const mixed = cli(
      ['issue', '-w', 'ut-office', '--definition', DEFINITION, '--roster', 'mixed.csv', '--out', 'out/', '--json'],
      { cwd: tmp },
    );
    const summary = JSON.parse(mixed.stdout) as Summary;
    expect(summary.issued).toBe(0);
    expect(summary.problems).toEqual([{ line: 2, message: expect.stringMatching(/belong to 2 different learners/) }]);
  });

  it('transcript and the programme row work from another directory (paths survive a cd)', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-elsewhere-'));
    try {
      const transcript = cli(['transcript', '-w', office, '--learner', 'mari@example.ee', '--out', 'mari.json'], {
        cwd: elsewhere,
      });
      expect(transcript.code, transcript.stderr).toBe(0);
      expect(fs.existsSync(path.join(elsewhere, 'mari.json'))).toBe(true);
      const programme = cli(
        ['issue', '-w', office, '--definition', DEFINITION, '--learner', 'mari@example.ee', '--json'],
        { cwd: elsewhere },
      );
      expect(programme.code, programme.stderr).toBe(0);
      expect(programme.stderr).not.toMatch(/restore the file/);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("a definition's issuer details with a workspace made without them", () => {
  it('completes the workspace issuer from the definition and reports a differing detail instead of dropping it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-issuer-'));
    try {
      const ws = path.join(dir, 'office');
      expect(
        cli([
          'init',
          ws,
          '--name',
          'University of Tartu',
          '--country',
          'EE',
          '--email',
          'registrar@ut.ee',
          '--status-url',
          'https://www.ut.ee/status/',
        ]).code,
      ).toBe(0);
      const r = cli([
        'issue',
        '-w',
        ws,
        '--definition',
        DEFINITION,
        '--learner',
        'mari@example.ee',
        '--grade',
        'A',
        '--part',
        'critical-thinking',
        '--out',
        path.join(dir, 'out'),
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /issuer email: the definition says "info@ut\.ee", the workspace "registrar@ut\.ee" \(the workspace's is used\)/,
      );
      const credential = JSON.parse(fs.readFileSync((JSON.parse(r.stdout) as { file: string }).file, 'utf8')) as {
        issuer: Record<string, unknown>;
      };
      expect(credential.issuer).toMatchObject({
        email: 'registrar@ut.ee',
        url: 'https://www.ut.ee/en',
        otherIdentifier: expect.arrayContaining([expect.objectContaining({ identifier: 'https://ror.org/03z77qz90' })]),
      });

      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-issuer-other-'));
      const ws2 = path.join(other, 'office');
      expect(
        cli([
          'init',
          ws2,
          '--name',
          'Tallinn University',
          '--country',
          'EE',
          '--status-url',
          'https://www.tlu.ee/status/',
        ]).code,
      ).toBe(0);
      const r2 = cli([
        'issue',
        '-w',
        ws2,
        '--definition',
        DEFINITION,
        '--learner',
        'mari@example.ee',
        '--grade',
        'A',
        '--part',
        'critical-thinking',
        '--out',
        path.join(other, 'out'),
      ]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).toMatch(
        /the definition names the issuer "University of Tartu", but this workspace issues as "Tallinn University"/,
      );
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
