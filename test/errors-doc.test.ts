import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/errors.md says, for every code of the vocabulary, what it means and what the user should do.
const root = path.resolve(__dirname, '..');
const vocabulary = [
  ...readFileSync(path.join(root, 'src/error-codes.ts'), 'utf8').matchAll(/^\s*\| '([A-Z][A-Z0-9_]*)'/gm),
].map((m) => m[1]!);
const doc = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|(.*)\|\s*$/gm)].map((m) => [
    m[1]!,
    { means: m[2]!.trim(), todo: m[3]!.trim() },
  ]),
);

describe('docs/errors.md', () => {
  it('has a row for every code, each with what it means and what to do', () => {
    expect(vocabulary.length).toBeGreaterThan(40);
    expect(vocabulary.filter((code) => !rows.has(code))).toEqual([]);
    for (const [code, row] of rows) {
      expect(row.means.length, code).toBeGreaterThan(10);
      expect(row.todo.length, code).toBeGreaterThan(5);
    }
  });

  it('lists no code the vocabulary does not have', () => {
    expect([...rows.keys()].filter((code) => !vocabulary.includes(code))).toEqual([]);
  });
});
