/**
 * jsonld.js adds each value of a property after comparing it with every value already there, so its work grows with
 * the square of the values one node's property holds. A credential the fast path hands to jsonld.js (an inline
 * context that only adds an unused term is enough, and keeps an eddsa-rdfc-2022 signature valid) with 20,000 tags
 * took 17 s to verify here (2,500: 0.7 s; 10,000: 4.4 s), and the 4 MB the size guard allows would take hours.
 * canonicalizeRdf now bounds the sum over nodes of the square of the values each holds (its copies together) by
 * MAX_NODE_MAP_WORK (CANONICALIZATION_LIMIT, as the other guards of canonize.ts; src/jsonld/node-map-work.ts); the fast path, which is linear,
 * converts such documents as before, and a CLR of many credentials (many nodes, few values each) stays far below.
 */
import { describe, expect, it } from 'vitest';
import { cpuTime } from './helpers/cpu-time';
import { generateKey, issue, verify } from '../src';
import { canonicalizeRdf } from '../src/jsonld/canonize';
import { MAX_NODE_MAP_WORK } from '../src/jsonld/node-map-work';
import { benchIssuer, seedCredential } from '../bench/fixtures';

type Doc = Record<string, unknown>;

describe('work jsonld.js is given', () => {
  it('a signed credential with 40,000 tags and an inline context is refused quickly, not verified in minutes', async () => {
    const key = generateKey();
    const seed = JSON.parse(JSON.stringify(seedCredential(benchIssuer(key.controller)))) as Doc;
    const achievement = (seed.credentialSubject as Doc).achievement as Doc;
    achievement.tag = Array.from({ length: 40_000 }, (_, i) => `t${i}`);
    // Signed by the fast path (bundled contexts only), then a context that changes no quad sends it to jsonld.js.
    const signed = JSON.parse(JSON.stringify(await issue(seed as never, { key, format: 'eddsa-rdfc-2022' }))) as Doc;
    expect((await verify(signed, { now: new Date(Date.now() + 60_000) })).verified).toBe(true);
    signed['@context'] = [...(signed['@context'] as unknown[]), { unusedTerm: 'https://x.example/u' }];
    const { result: report, ms } = await cpuTime(() => verify(signed, { now: new Date(Date.now() + 60_000) }));
    expect(ms).toBeLessThan(20_000); // about 70 s without the guard on this host
    expect(report.verified).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain('CANONICALIZATION_LIMIT');
  }, 60_000);

  it('canonicalizeRdf refuses one node holding too many values, also spread over copies, and takes the bound itself', async () => {
    const context = { tag: 'https://x.example/tag', item: 'https://x.example/item' };
    // One node: its @id and n tags, (n + 1)^2 of work.
    const side = Math.sqrt(MAX_NODE_MAP_WORK);
    const node = (n: number) => ({
      '@context': context,
      '@id': 'urn:x',
      tag: Array.from({ length: n }, (_, i) => `t${i}`),
    });
    await expect(canonicalizeRdf(node(side))).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
    await expect(canonicalizeRdf(node(side - 1))).resolves.toContain('<urn:x> <https://x.example/tag> "t0" .');
    // The same values spread over copies of one node (one id), each small: one node in jsonld.js's node map.
    const copies = {
      '@context': context,
      '@id': 'urn:root',
      item: Array.from({ length: Math.ceil(side / 50) + 1 }, (_, c) => ({
        '@id': 'urn:x',
        tag: Array.from({ length: 50 }, (_, i) => `c${c}t${i}`),
      })),
    };
    await expect(canonicalizeRdf(copies)).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
    // As many values on many nodes (a transcript of many credentials) are taken.
    const many = { ...copies, item: copies.item.map((copy, c) => ({ ...copy, '@id': `urn:x${c}` })) };
    await expect(canonicalizeRdf(many)).resolves.toContain('<urn:x0> <https://x.example/tag> "c0t0" .');
  }, 120_000);

  it('the bound is kept on what jsonld.js merges: values spread over nested arrays, @set objects, language maps or spellings of one id', async () => {
    const context = { ex: 'https://x.example/', tag: 'https://x.example/tag', item: 'https://x.example/item' };
    const n = Math.ceil(Math.sqrt(MAX_NODE_MAP_WORK)) + 100;
    const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    const languageTerms = Object.fromEntries(
      Array.from({ length: 60 }, (_, k) => [`l${k}`, { '@id': 'https://x.example/tag', '@container': '@language' }]),
    );
    const spread: Record<string, Doc> = {
      'nested arrays': { '@context': context, '@id': 'urn:x', tag: [values('t', n)] },
      '@set objects': {
        '@context': context,
        '@id': 'urn:x',
        tag: Array.from({ length: n / 100 + 1 }, (_, k) => ({ '@set': values(`s${k}_`, 100) })),
      },
      'two spellings of one id': {
        '@context': context,
        '@id': 'urn:root',
        item: Array.from({ length: n / 100 + 1 }, (_, k) => ({
          '@id': k % 2 ? 'https://x.example/a' : 'ex:a',
          tag: values(`c${k}_`, 100),
        })),
      },
      'language maps': {
        '@context': { ...context, ...languageTerms },
        '@id': 'urn:x',
        ...Object.fromEntries(Object.keys(languageTerms).map((term) => [term, { en: values(`${term}_`, n / 60 + 1) }])),
      },
    };
    for (const [name, document] of Object.entries(spread))
      await expect(canonicalizeRdf(document), name).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
  }, 120_000);
});
