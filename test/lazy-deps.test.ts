import { describe, expect, it, vi } from 'vitest';

/**
 * jsonld.js (~70 ms to import), rdf-canonize and jose (~25 ms) are loaded only when needed: every process and every
 * pool worker pays their import at start-up otherwise, while the compiled fast path, our RDFC-1.0 port and
 * Ed25519 Data Integrity proofs need none of them. The mocks pass the real modules through and record the load.
 */
const loaded = vi.hoisted(() => new Set<string>());
vi.mock('jsonld', async (original) => (loaded.add('jsonld'), original()));
vi.mock('rdf-canonize', async (original) => (loaded.add('rdf-canonize'), original()));
vi.mock('jose', async (original) => (loaded.add('jose'), original()));

describe('optional dependencies load on first use', () => {
  it('issuing and verifying Data Integrity proofs loads none of jsonld, rdf-canonize and jose; a VC-JWT loads jose; a document outside the fast path loads jsonld', async () => {
    const { award, defineIssuer, generateKey, issue, verify } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = award(reiProgramme.parts[0]!, { issuer, learner: { email: 'mari@example.ee' }, grade: 'B', awardedOn: '2024-01-26' });
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const report = await verify(await issue(credential, { key, format }));
      expect(report.verified, format).toBe(true);
    }
    expect([...loaded]).toEqual([]);

    const jwt = await issue(credential, { key, format: 'vc-jwt' });
    expect((await verify(jwt)).verified).toBe(true);
    expect([...loaded]).toEqual(['jose']);

    // An embedded context object is outside the fast path: jsonld.js canonicalizes it.
    const foreign = { ...credential, '@context': [...(credential['@context'] as string[]), { extra: 'https://example.org/extra' }], extra: 'x' };
    const signed = await issue(foreign, { key });
    expect((await verify(signed)).verified).toBe(true);
    expect(loaded.has('jsonld')).toBe(true);
  });
});
