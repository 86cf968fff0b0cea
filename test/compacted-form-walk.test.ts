import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { checkCompactedForm } from '../src/jsonld/compacted-form';
import { generateKey, issue } from '../src';
import { checkCompactedForm as referenceCheck } from './helpers/compacted-form-reference';
import { fixturePath } from './helpers/fixtures';
import { benchIssuer, largeCredential, seedCredential } from '../bench/fixtures';

/**
 * The compacted-form walk builds a key's or a leaf's JSON path only when it refuses it. Held to the walk that built
 * every path as it went (test/helpers/compacted-form-reference.ts): the same verdict, problem, message, kind, path
 * and reason, on every fixture, signed and unsigned credentials, and thousands of rewrites of them (keywords as keys,
 * IRIs and compact IRIs for terms, value objects, inline contexts with aliases, `@vocab` and scoped contexts, nested
 * contexts, odd type and id values, language maps with capitals, embedded documents).
 */

type Doc = Record<string, unknown>;
const VC2 = 'https://www.w3.org/ns/credentials/v2';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

async function expectSameVerdict(doc: Doc, label = ''): Promise<string> {
  const ours = await checkCompactedForm(doc);
  expect(ours, label).toEqual(await referenceCheck(doc));
  return ours.status;
}

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(full);
    return /\.(json|jsonld)$/.test(entry.name) ? [full] : [];
  });
}

/** Every plain object of the document outside `@context` values, in document order. */
function objectsIn(value: unknown, out: Doc[] = []): Doc[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, out);
  else if (typeof value === 'object' && value !== null) {
    out.push(value as Doc);
    for (const [key, member] of Object.entries(value)) if (key !== '@context') objectsIn(member, out);
  }
  return out;
}

const KEYS = [
  '@type',
  '@id',
  '@value',
  '@context',
  '@included',
  'type',
  'id',
  'name',
  'description',
  'https://schema.org/name',
  'schema:name',
  'cred:issuer',
  'https://www.w3.org/2018/credentials#validUntil',
  'undefinedTerm',
  'alias',
  't',
  'prefLabel',
  'EN',
  'endorsement',
];
const VALUES: unknown[] = [
  { '@value': 'x' },
  { '@value': 'x', '@language': 'en' },
  { '@value': 'x', '@language': 'en', '@direction': 'rtl' },
  { '@value': '2030-01-01T00:00:00Z', '@type': 'xsd:dateTime' },
  'ob:Achievement',
  'https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement',
  'Achievement',
  'AchievementCredential',
  '@id',
  'xsd:string',
  'https://x.example/a',
  'did:example:1',
  '_:b0',
  'relative/path',
  { EN: 'x' },
  { en: ['x', null] },
  { '@none': 'x' },
  { '@context': [VC2, OB], type: ['VerifiableCredential', 'EndorsementCredential'], name: 'e' },
  { '@context': [VC2, { t: 'https://x.example/t' }], t: 'e' },
  ['a', { '@value': 'b' }],
  [['nested']],
  { id: 'https://x.example/n' },
  { type: 'Alignment', targetName: 'x' },
  null,
  5,
  true,
];
const INLINE: unknown[] = [
  { alias: 'https://schema.org/name' },
  { '@vocab': 'https://x.example/' },
  { t: 'https://x.example/t' },
  { t: { '@id': 'https://x.example/t', '@type': '@id' } },
  { alias: { '@id': 'https://schema.org/name' } },
  { '@context': {} },
  { alias: '@type' },
  { t: { '@id': 'https://x.example/t', '@context': {} } },
  { '@protected': true, t: 'https://x.example/t' },
  { t: { '@type': '@json', '@id': 'https://x.example/t' } },
  { t: null },
  { '@base': 'https://x.example/' },
  { name: 'https://x.example/name' },
];
const NESTED_CONTEXTS: unknown[] = [[VC2, OB], VC2, { t: 'https://x.example/t' }, [OB], null];

const mutation = fc.record({
  kind: fc.nat(5),
  pick: fc.nat(),
  which: fc.nat(),
  what: fc.nat(),
});
type Mutation = { kind: number; pick: number; which: number; what: number };

/** Applies one rewrite to (a copy of) the document. */
function mutate(doc: Doc, m: Mutation): void {
  const objects = objectsIn(doc);
  const object = objects[m.pick % objects.length]!;
  const keys = Object.keys(object);
  const key = keys.length > 0 ? keys[m.which % keys.length]! : 'name';
  switch (m.kind) {
    case 0: {
      // Rename a key, keeping the order of the others.
      const entries = Object.entries(object);
      for (const k of keys) delete object[k];
      for (const [k, v] of entries) object[k === key ? KEYS[m.what % KEYS.length]! : k] = v;
      break;
    }
    case 1:
      if (key !== '@context') object[key] = structuredClone(VALUES[m.what % VALUES.length]);
      break;
    case 2: {
      const top = doc['@context'];
      doc['@context'] = [...(Array.isArray(top) ? top : [top]), structuredClone(INLINE[m.what % INLINE.length])];
      break;
    }
    case 3:
      object['@context'] = structuredClone(NESTED_CONTEXTS[m.what % NESTED_CONTEXTS.length]);
      break;
    case 4:
      object[KEYS[m.which % KEYS.length]!] = structuredClone(VALUES[m.what % VALUES.length]);
      break;
    default: {
      const types = ['VerifiableCredential', 'OpenBadgeCredential', 'ob:Achievement', '@id', 'Unknown', 7];
      object.type = [types[m.which % types.length], types[m.what % types.length]];
    }
  }
}

const bases: { label: string; doc: Doc }[] = [];

beforeAll(async () => {
  const key = generateKey();
  const issuer = benchIssuer(key.controller);
  const seed = seedCredential(issuer) as unknown as Doc;
  bases.push({ label: 'seed', doc: seed }, { label: 'large', doc: largeCredential(issuer) as unknown as Doc });
  for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const)
    bases.push({ label: format, doc: (await issue(seed, { key, format })) as unknown as Doc });
  for (const file of jsonFiles(fixturePath())) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && '@context' in parsed)
        bases.push({ label: path.relative(fixturePath(), file), doc: parsed as Doc });
    } catch {
      // not JSON
    }
  }
});

describe('the compacted-form walk gives the verdict it gave when it built every path', () => {
  it('on every fixture and the seed, large and signed credentials', async () => {
    const statuses = new Set<string>();
    for (const { label, doc } of bases) statuses.add(await expectSameVerdict(doc, label));
    expect(bases.length).toBeGreaterThan(100);
    expect([...statuses].sort()).toEqual(['compacted', 'not-compacted', 'unprocessable']);
  });

  it('on 2,500 rewrites of them', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, mutations) => {
        const base = bases[pick % Math.min(bases.length, 24)]!;
        const doc = structuredClone(base.doc);
        for (const m of mutations) mutate(doc, m);
        const status = await expectSameVerdict(doc, base.label);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: 2500 },
    );
    // Both outcomes are common among the rewrites, so the paths of refusals are compared many times.
    expect(statuses.get('compacted')).toBeGreaterThan(100);
    expect(statuses.get('not-compacted')).toBeGreaterThan(500);
  });
});
