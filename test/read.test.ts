import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readMicroCredential, MicrocredError, ANNEX_I_ELEMENTS } from '../src';
import { fixturePath, readFixtureJson } from './helpers/fixtures';

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFiles(full));
    else if (entry.name.endsWith('.json') && !entry.name.startsWith('_')) out.push(full);
  }
  return out;
}

describe('readMicroCredential on credentials from other issuers', () => {
  const folders = [
    'spec-signed',
    'spec-rendered-signed',
    'spec-unsigned',
    'third-party-signed',
    '1edtech-validator-fixtures',
    'dcc-vc-test-fixtures',
    'dcc-verifier-core-fixtures',
  ];
  const files = folders.flatMap((f) => jsonFiles(fixturePath('ob3', f)));

  it('reads every fixture credential without throwing', () => {
    expect(files.length).toBeGreaterThan(100);
    let read = 0;
    for (const file of files) {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
      const view = readMicroCredential(doc);
      expect(view.elements).toHaveLength(16);
      read++;
    }
    expect(read).toBeGreaterThan(100);
  });

  it('reports which Annex I elements a plain OB 3.0 credential lacks', () => {
    const doc = readFixtureJson('ob3-test-vector', 'ob3-unsigned.json');
    const view = readMicroCredential(doc);
    expect(view.euExtension).toBe(false);
    expect(view.title).toBe('Teamwork');
    // A plain OB badge carries learner, title, awarding body and date natively; the EU-specific ones are missing.
    expect(view.missingMandatory).toEqual(
      expect.arrayContaining(['learningOutcomes', 'assessment', 'participation', 'qualityAssurance']),
    );
    expect(view.missingMandatory).not.toContain('title');
    expect(view.missingMandatory).not.toContain('learner');
    expect(ANNEX_I_ELEMENTS.filter((e) => e.mandatory)).toHaveLength(11);
  });

  it('refuses input that is not a credential object', () => {
    expect(() => readMicroCredential('nope')).toThrow(MicrocredError);
    expect(() => readMicroCredential([])).toThrow(MicrocredError);
  });
});
