import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { generateKey, issue } from '../../src';
import { benchIssuer, largeCredential, seedCredential } from '../../bench/fixtures';
import { fixtureFiles, fixturePath } from './fixtures';

/**
 * Rewrites of credentials for the compacted-form tests: keywords as keys, IRIs and compact IRIs for terms, value
 * objects, inline contexts with aliases, `@vocab`, scoped and null terms, nested contexts, odd type and id values,
 * language maps with capitals, embedded documents. Most of them are refused by the compacted-form check, some not.
 */

type Doc = Record<string, unknown>;
const VC2 = 'https://www.w3.org/ns/credentials/v2';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

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

export const mutation = fc.record({
  kind: fc.nat(5),
  pick: fc.nat(),
  which: fc.nat(),
  what: fc.nat(),
});
export type Mutation = { kind: number; pick: number; which: number; what: number };

/** Applies one rewrite to (a copy of) the document. */
export function mutate(doc: Doc, m: Mutation): void {
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

/**
 * The documents the rewrites start from: the seed and large credentials (first, in that order), the seed signed with
 * eddsa-rdfc-2022 and eddsa-jcs-2022, and every JSON-LD fixture (with `alsoWithoutProof`, each followed by itself
 * without its `proof`).
 */
export async function formTestBases(
  options: { alsoWithoutProof?: boolean } = {},
): Promise<{ label: string; doc: Doc }[]> {
  const bases: { label: string; doc: Doc }[] = [];
  const key = generateKey();
  const issuer = benchIssuer(key.controller);
  const seed = seedCredential(issuer) as unknown as Doc;
  bases.push({ label: 'seed', doc: seed }, { label: 'large', doc: largeCredential(issuer) as unknown as Doc });
  for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const)
    bases.push({ label: format, doc: (await issue(seed, { key, format })) as unknown as Doc });
  for (const file of fixtureFiles()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    } catch {
      continue; // not JSON
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('@context' in parsed)) continue;
    const label = path.relative(fixturePath(), file);
    bases.push({ label, doc: parsed as Doc });
    if (options.alsoWithoutProof) {
      const { proof: _proof, ...unsigned } = parsed as Doc;
      bases.push({ label: `${label} without proof`, doc: unsigned });
    }
  }
  return bases;
}
