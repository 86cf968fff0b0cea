import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { award, readMicroCredential } from '../src';
import { criticalThinking, university } from '../examples/rei-programme';
import { cli } from './helpers/cli';
import { fixturePath } from './helpers/fixtures';
import { validateEdc } from './helpers/shacl';

/** `microcred export --europass` and `microcred import`, run as a registrar runs them. */
describe('microcred export --europass / import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-europass-'));
  const credential = award(criticalThinking, {
    issuer: university,
    learner: { email: 'mari@example.ee' },
    grade: 'B',
    awardedOn: '2024-01-26',
  });
  const credentialFile = path.join(dir, 'credential.json');
  fs.writeFileSync(credentialFile, JSON.stringify(credential));
  const edcFile = path.join(dir, 'edc.json');

  it('exports a credential to an EDC file that validates, and says it is unsigned', async () => {
    const r = cli(['export', '--europass', credentialFile, '--out', edcFile, '--legal-id', 'EE74001073']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unsigned/);
    const edc = JSON.parse(fs.readFileSync(edcFile, 'utf8'));
    expect(edc.issuer.eIDASIdentifier.notation).toBe('EE74001073');
    expect(await validateEdc(edc)).toEqual([]);
  }, 60_000);

  it('imports it back: all 16 elements listed, the seal named as not checked, the Open Badge written', () => {
    const out = path.join(dir, 'back.json');
    const r = cli(['import', edcFile, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/eIDAS seal was not checked/);
    expect(r.stdout.match(/✓/g)).toHaveLength(16);
    // It says how to sign what it wrote in a way that works: `microcred issue` takes definition files, and refuses
    // this file ("give exactly one of microCredential or programme").
    expect(r.stdout).not.toMatch(/sign it with microcred issue/);
    expect(r.stdout).toMatch(/POST \/credentials\/issue/);
    const back = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(readMicroCredential(back).grade).toEqual(readMicroCredential(credential).grade);
  }, 60_000);

  it('the EC sample: elements listed, and why it cannot be re-issued (exit 1, nothing written)', () => {
    const out = path.join(dir, 'never.json');
    const r = cli(['import', fixturePath('edc', 'Sample-MC-Annex1-unsigned.jsonld'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ 11 Type of quality assurance/);
    expect(r.stdout).toMatch(/\$\.qualityAssurance: /);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('refuses what is not an EDC or not a credential with exit 2', () => {
    expect(cli(['import', credentialFile]).code).toBe(2);
    const junk = path.join(dir, 'junk.json');
    fs.writeFileSync(junk, '{"@context": "https://evil.example/", "type": "EuropeanDigitalCredential"}');
    const r = cli(['import', junk]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/context/);
    expect(cli(['export', '--europass', edcFile]).code).toBe(2);
    expect(cli(['export']).code).toBe(2);
  }, 60_000);
});
