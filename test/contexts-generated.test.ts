import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectContexts, contextsModuleSource } from '../scripts/generate.mjs';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';

/**
 * src/jsonld/contexts.generated.ts holds the bundled contexts as one JSON text given to JSON.parse (a string literal
 * compiles far faster at start-up than the same data as an object literal). What it builds must be exactly the
 * packages' and contexts/'s texts: same values, same key order, plain objects (an object literal would have taken a
 * `__proto__` key as a prototype, JSON.parse as a property).
 */
const root = path.resolve(import.meta.dirname, '..');

describe('the bundled contexts (scripts/generate.mjs)', () => {
  it('the committed module is what the script writes', () => {
    const committed = fs.readFileSync(path.join(root, 'src/jsonld/contexts.generated.ts'), 'utf8');
    expect(committed).toBe(contextsModuleSource(collectContexts()));
  });

  it('holds exactly the source texts, in their key order, as plain frozen-at-the-top objects', () => {
    const sources = collectContexts() as Record<string, unknown>;
    expect(BUNDLED_CONTEXTS).toStrictEqual(sources);
    expect(JSON.stringify(BUNDLED_CONTEXTS)).toBe(JSON.stringify(sources));
    expect(Object.isFrozen(BUNDLED_CONTEXTS)).toBe(true);
    const plain = (value: unknown): boolean =>
      typeof value !== 'object' ||
      value === null ||
      (Array.isArray(value)
        ? value.every(plain)
        : Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plain));
    expect(plain(BUNDLED_CONTEXTS)).toBe(true);
  });
});
