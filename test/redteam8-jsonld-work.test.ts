/**
 * jsonld.js adds each value of a property after comparing it with every value already there, so its work grows with
 * the square of the values one node's property holds. A credential the fast path hands to jsonld.js (an inline
 * context that only adds an unused term is enough, and keeps an eddsa-rdfc-2022 signature valid) with 20,000 tags
 * took 17 s to verify here (2,500: 0.7 s; 10,000: 4.4 s), and the 4 MB the size guard allows would take hours.
 * Documents given to jsonld.js now hold at most MAX_JSONLD_VALUES values (CANONICALIZATION_LIMIT, as the other
 * guards of canonize.ts); the fast path, which is linear, converts larger ones as before.
 */
import { describe, expect, it } from 'vitest';
import { generateKey, issue, verify } from '../src';
import { canonicalizeRdf, expand } from '../src/jsonld/canonize';
import { MAX_JSONLD_VALUES } from '../src/jsonld/canonize';
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
    const started = Date.now();
    const report = await verify(signed, { now: new Date(Date.now() + 60_000) });
    expect(Date.now() - started).toBeLessThan(20_000); // about 70 s without the guard on this host
    expect(report.verified).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain('CANONICALIZATION_LIMIT');
  }, 60_000);

  it('canonicalizeRdf and expand refuse one value more than the limit, and take the limit itself', async () => {
    const doc = (n: number) => ({
      '@context': { tag: 'https://x.example/tag' },
      '@id': 'urn:x',
      tag: Array.from({ length: n - 2 }, (_, i) => `t${i}`),
    });
    // Values counted: each member of an object and each item of an array, @context aside: 2 members + n - 2 tags.
    await expect(canonicalizeRdf(doc(MAX_JSONLD_VALUES + 1))).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
    await expect(expand(doc(MAX_JSONLD_VALUES + 1))).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
    await expect(canonicalizeRdf(doc(MAX_JSONLD_VALUES))).resolves.toContain('<urn:x> <https://x.example/tag> "t0" .');
  }, 120_000);
});
