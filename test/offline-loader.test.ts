/**
 * verify() and issue() no longer make a document loader per call (src/jsonld/loader.ts, offlineDocumentLoader): with
 * no contexts they take the default loader, which the fast paths trust without asking it for each context URL of
 * each document; with a caller's contexts, one loader per contexts object, which must serve exactly what a fresh
 * createDocumentLoader({ contexts }) serves, then and after the caller changes the object.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentLoader, defaultDocumentLoader, offlineDocumentLoader } from '../src/jsonld/loader';
import { BUNDLED_CONTEXTS } from '../src/jsonld/contexts.generated';
import { award, defineIssuer, generateKey, issue, verify } from '../src';
import { reiProgramme } from '../examples/rei-programme';

const URLS = [...Object.keys(BUNDLED_CONTEXTS), 'https://example.org/own-context', 'https://example.org/unknown'];

/** What a loader answers for each URL: the document (by identity) or the error code. */
async function answers(loader: (url: string) => Promise<{ document: unknown }>): Promise<unknown[]> {
  return Promise.all(
    URLS.map((url) =>
      loader(url).then(
        (r) => r.document,
        (e: { code?: string }) => `error ${e.code}`,
      ),
    ),
  );
}

describe('offlineDocumentLoader', () => {
  it('is the default loader when the caller adds no contexts', () => {
    expect(offlineDocumentLoader(undefined)).toBe(defaultDocumentLoader);
    expect(offlineDocumentLoader(null)).toBe(defaultDocumentLoader);
  });

  it("serves what a fresh loader serves, one loader per contexts object, reading the caller's object live", async () => {
    const contexts: Record<string, unknown> = { 'https://example.org/own-context': { '@context': { x: 'urn:x' } } };
    const loader = offlineDocumentLoader(contexts);
    expect(offlineDocumentLoader(contexts)).toBe(loader);
    expect(await answers(loader)).toEqual(await answers(createDocumentLoader({ contexts })));
    expect(await answers(offlineDocumentLoader({}))).toEqual(await answers(createDocumentLoader()));
    // The caller replaces a bundled context and adds one: a loader made now would serve those, and so must this one.
    contexts[Object.keys(BUNDLED_CONTEXTS)[0]!] = { '@context': { y: 'urn:y' } };
    contexts['https://example.org/unknown'] = { '@context': {} };
    const fresh = await answers(createDocumentLoader({ contexts }));
    expect(await answers(loader)).toEqual(fresh);
    expect(fresh[0]).toEqual({ '@context': { y: 'urn:y' } });
  });

  it('verify() with and without a contexts object gives the same report', async () => {
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = award(reiProgramme.parts[0]!, {
      issuer,
      learner: 'did:example:l',
      grade: 'A',
      awardedOn: '2024-01-26',
    });
    const now = new Date(Date.now() + 60_000);
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const signed = await issue(credential, { key, format });
      const plain = await verify(signed, { now: now });
      expect(plain.verified).toBe(true);
      expect(await verify(signed, { now: now, contexts: {} })).toEqual(plain);
    }
  });
});
