/**
 * `microcred verify` on files that cannot be read as a credential, or are built to trip the verifier: the first line
 * and the reasons speak to a registrar or an HR person (what the file is, what to do), with no JSON path, no
 * `__proto__`, no "JavaScript" and no error code; the technical detail (code, path, the library's message) is one step
 * away, in --details and --json. Each file is made here, from the seed credential the page's tests use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgePng, presentationOf, seedFixtures, stackFixtures } from './web/fixtures';
import { cli } from './helpers/cli';
import { DEVELOPER_WORDS } from './helpers/plain-words';

let dir: string;
const file = (name: string) => path.join(dir, name);

interface Case {
  name: string;
  headline: string;
  reason: string;
  /** The technical detail --details shows: the library's code, the JSON path and a part of its message. */
  technical: RegExp;
  exit: number;
}

const NOT_A_CREDENTIAL =
  'This file is not a credential: ask the learner for the credential file or badge image their institution sent';
const UNSAFE =
  'This file is not a credential that can be read safely: ask the learner for the file their institution sent';
const CASES: Case[] = [
  {
    name: 'not-json.txt',
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /neither JSON nor a compact JWS \[INVALID_INPUT at \$\]/,
    exit: 2,
  },
  {
    name: 'broken.json',
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /Not valid JSON: .* \[INVALID_INPUT at \$\]/,
    exit: 2,
  },
  {
    name: 'duplicate.json',
    headline: UNSAFE,
    reason: 'It gives the same item twice, so it can be read in two different ways',
    technical: /names \$\.name twice.* \[DUPLICATE_KEY at \$\.name\]/,
    exit: 2,
  },
  {
    name: 'proto.json',
    headline: UNSAFE,
    reason: 'It has an item with a name that software can misread, so it can be read in two different ways',
    technical: /"__proto__".*JavaScript.* \[INVALID_INPUT at \$\.credentialSubject\.__proto__\]/,
    exit: 2,
  },
  {
    name: 'proto.jwt',
    headline: UNSAFE,
    reason: 'It has an item with a name that software can misread, so it can be read in two different ways',
    technical: /The JWT payload has a member named "__proto__".* \[INVALID_INPUT at \$\.__proto__\]/,
    exit: 2,
  },
  {
    name: 'garbage.jwt',
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /base64url-encoded JSON \[INVALID_INPUT at \$\]/,
    exit: 2,
  },
  {
    name: 'plain.png',
    headline:
      'This image has no credential in it: ask the learner for the badge image or credential file their institution sent',
    reason: 'The image does not carry a credential',
    technical: /No credential is baked into this PNG \[INVALID_IMAGE at \$\]/,
    exit: 2,
  },
  {
    name: 'presentation.json',
    headline:
      'This is a presentation (credentials sent together from a wallet), not one credential: check it with microcred verify-presentation',
    reason: 'It holds credentials that their holder sent together, which are checked differently from one credential',
    technical: /verifiable presentation.*verifyPresentation.* \[INVALID_INPUT at \$\.type\]/,
    exit: 2,
  },
  {
    name: 'large.json',
    headline: UNSAFE,
    reason: 'It is too large or too deeply nested to be read safely',
    technical: /Document of \d+ characters exceeds the \d+ limit \[CANONICALIZATION_LIMIT at \$\]/,
    exit: 2,
  },
  // A JSON file that is no credential, a credential with its @context taken out, and one nested past what the
  // signed-form walk goes: none was changed after signing (the library once said so), none can be read.
  {
    name: 'random.json',
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /The credential has no @context \[INVALID_INPUT at \$\["@context"\]\]/,
    exit: 2,
  },
  {
    name: 'no-context.json',
    headline: NOT_A_CREDENTIAL,
    reason: 'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    technical: /The credential has no @context \[INVALID_INPUT at \$\["@context"\]\]/,
    exit: 2,
  },
  {
    name: 'deep-subject.json',
    headline: UNSAFE,
    reason: 'It is too large or too deeply nested to be read safely',
    technical: /\(nesting too deep\).* \[CANONICALIZATION_LIMIT at \$\]/,
    exit: 2,
  },
];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-plain-'));
  const seed = await seedFixtures();
  const text = JSON.stringify(seed.jsonLd, null, 2);
  const jwt = (payload: string) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(payload).toString('base64url')}.c2ln`;
  fs.writeFileSync(file('not-json.txt'), 'Mari Maasikas, CV\n');
  fs.writeFileSync(file('broken.json'), text.slice(0, 200));
  fs.writeFileSync(file('duplicate.json'), text.replace('{', '{\n  "name": "A forged title",'));
  fs.writeFileSync(
    file('proto.json'),
    text.replace('"credentialSubject": {', '"credentialSubject": {"__proto__": {"a": 1},'),
  );
  fs.writeFileSync(file('proto.jwt'), jwt('{"__proto__":{"a":1},"vc":{}}'));
  fs.writeFileSync(file('garbage.jwt'), 'abc.def.ghi');
  fs.writeFileSync(file('plain.png'), badgePng());
  fs.writeFileSync(file('presentation.json'), JSON.stringify(await presentationOf(seed.jsonLd)));
  fs.writeFileSync(file('random.json'), JSON.stringify({ name: 'Mari Maasikas', skills: ['Excel', 'Estonian'] }));
  const { '@context': _context, ...noContext } = seed.jsonLd as Record<string, unknown>;
  fs.writeFileSync(file('no-context.json'), JSON.stringify(noContext));
  fs.writeFileSync(
    file('deep-subject.json'),
    text.replace('"credentialSubject": {', `"credentialSubject": {"name": ${'['.repeat(300)}"x"${']'.repeat(300)},`),
  );
  fs.writeFileSync(file('large.json'), JSON.stringify({ ...seed.jsonLd, description: 'x'.repeat(4_300_000) }));
  // A programme and its five parts, the last with a member named __proto__.
  const [programme, ...parts] = await stackFixtures(seed);
  fs.writeFileSync(file('programme.json'), JSON.stringify(programme));
  parts.forEach((part, i) => {
    const partText = JSON.stringify(part, null, 2);
    fs.writeFileSync(
      file(`part${i}.json`),
      i === 4 ? partText.replace('"credentialSubject": {', '"credentialSubject": {"__proto__": {"a": 1},') : partText,
    );
  });
  // Nested far deeper than any credential (and than a recursive walk can go).
  fs.writeFileSync(file('deep.json'), `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The first line (without its mark) and the lines under "Why:". */
function personFacing(stdout: string): { headline: string; reasons: string[] } {
  const lines = stdout.split('\n');
  const reasons: string[] = [];
  for (let i = lines.indexOf('  Why:') + 1; i > 0 && lines[i]?.startsWith('  - '); i++)
    reasons.push(lines[i]!.slice(4));
  return { headline: lines[0]!.replace(/^[✓✗!] /, ''), reasons };
}

describe('microcred verify: a file that cannot be read speaks plain words, the detail one step away', () => {
  for (const c of CASES) {
    it(`${c.name}: what it is and what to do, with no developer words; code, path and message in --details`, () => {
      const r = cli(['verify', file(c.name), '--offline']);
      expect(r.code).toBe(c.exit);
      const { headline, reasons } = personFacing(r.stdout);
      expect(headline).toBe(c.headline);
      expect(reasons[0]).toBe(c.reason);
      for (const text of [headline, ...reasons]) expect(text).not.toMatch(DEVELOPER_WORDS);
      expect(r.stdout).toContain('Technical checks: add --details (or --json)');

      const details = cli(['verify', file(c.name), '--offline', '--details']);
      expect(details.code).toBe(c.exit);
      expect(details.stdout.split('\n')[0]).toBe(r.stdout.split('\n')[0]);
      expect(details.stdout).toMatch(c.technical);
    });
  }

  it('several files: each line reads in plain words; --details adds each failed check with its code and path, --json the report', () => {
    const r = cli(['verify', file('proto.json'), file('duplicate.json'), '--offline', '--details']);
    expect(r.code).toBe(2);
    const [proto, protoCheck, duplicate, duplicateCheck] = r.stdout.split('\n');
    expect(proto).toBe(`✗ ${file('proto.json')}: ${UNSAFE}`);
    expect(duplicate).toBe(`✗ ${file('duplicate.json')}: ${UNSAFE}`);
    expect(protoCheck).toMatch(/^ {4}✗ parse: .*"__proto__".* \[INVALID_INPUT at \$\.credentialSubject\.__proto__\]$/);
    expect(duplicateCheck).toMatch(/^ {4}✗ parse: .* \[DUPLICATE_KEY at \$\.name\]$/);

    // --json keeps the library's report as it is: the failed check's code, path and message.
    const json = cli(['verify', file('proto.json'), '--offline', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).checks).toEqual([
      expect.objectContaining({
        check: 'parse',
        status: 'fail',
        code: 'INVALID_INPUT',
        path: '$.credentialSubject.__proto__',
        message: expect.stringContaining('__proto__'),
      }),
    ]);
  });

  it('--stack: a part that cannot be read says so in plain words on its own line', () => {
    const r = cli(['verify', '--stack', file('programme.json'), ...[0, 1, 2, 3, 4].map((i) => file(`part${i}.json`))]);
    expect(r.code).toBe(2);
    const line = r.stdout.split('\n').find((l) => l.includes(file('part4.json')))!;
    expect(line).toBe(`  ✗ a credential that could not be read (${file('part4.json')}): NOT VERIFIED: ${UNSAFE}`);
    expect(line.replace(file('part4.json'), '')).not.toMatch(DEVELOPER_WORDS);
  });

  it('a file nested 100,000 deep: a verdict and its reasons, never "Internal error"; --json is written too', () => {
    const r = cli(['verify', file('deep.json'), '--offline']);
    expect(r.stderr).not.toMatch(/Internal error/);
    expect(r.code).toBe(2);
    const { headline, reasons } = personFacing(r.stdout);
    for (const text of [headline, ...reasons]) {
      expect(text).not.toMatch(DEVELOPER_WORDS);
      expect(text).not.toMatch(/Maximum call stack/);
    }
    // No @context at all: a file that is not a credential, never "changed after it was signed", and that reason stands
    // alone (the verdict does not pile the checks it stopped on top of it); the stack overflow stays in --details.
    expect(headline).toBe(NOT_A_CREDENTIAL);
    expect(reasons).toEqual([
      'It is neither a credential file (JSON or JWT) nor a badge image with a credential inside',
    ]);

    const json = cli(['verify', file('deep.json'), '--offline', '--json']);
    expect(json.stderr).not.toMatch(/Internal error/);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.verified).toBe(false);
    expect(JSON.stringify(report.credential)).toContain('(nested too deep to show)');
    expect(report.checks).toContainEqual(expect.objectContaining({ code: 'INTERNAL_ERROR' }));
  });
});
