import { describe, expect, it } from 'vitest';
import { createPresentation, generateKey, issue, signPresentation, verifyPresentation } from '../src';
import { canonicalizeRdf } from '../src/entries/jsonld';

/**
 * The compacted-form rule for presentations: an eddsa-rdfc-2022 proof signs the presentation's graph, the
 * holder binding reads the JSON key `holder`. A presentation signed by one party naming another as holder fails
 * the binding; moved under its absolute IRI, `holder` kept the graph (and the proof) and the binding only warned
 * "names no holder".
 */
type Json = Record<string, unknown>;
const CRED = 'https://www.w3.org/2018/credentials#';
const NOW = new Date('2026-03-01T12:00:00Z');
const created = '2026-03-01T11:58:00Z';
const issuerKey = generateKey();
const alice = generateKey();
const mallory = generateKey();
const challenge = 'n-0451';
const withoutProof = ({ proof: _p, ...rest }: Json): Json => rest;

async function presentedBy(signer: typeof mallory, holder: string): Promise<Json> {
  const vc = await issue(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: `urn:uuid:${crypto.randomUUID()}`,
      type: ['VerifiableCredential'],
      issuer: issuerKey.controller,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: holder, name: 'Data literacy, 5 ECTS' },
    },
    { key: issuerKey, created: '2025-01-01T00:00:00Z' },
  );
  return (await signPresentation(createPresentation({ verifiableCredential: [vc], holder }), {
    key: signer,
    challenge,
    created,
    allowForeignController: true,
  })) as unknown as Json;
}

describe('a presentation is read in the compacted form of its own contexts', () => {
  it("Alice's own presentation verifies; one signed by Mallory naming Alice fails the holder binding", async () => {
    expect(
      (await verifyPresentation(await presentedBy(alice, alice.controller), { challenge, now: NOW })).verified,
    ).toBe(true);
    const forged = await verifyPresentation(await presentedBy(mallory, alice.controller), { challenge, now: NOW });
    expect(forged.checks.find((c) => c.check === 'holderBinding')).toMatchObject({
      status: 'fail',
      code: 'HOLDER_BINDING_MISMATCH',
    });
  });

  it('holder moved under its absolute IRI keeps the graph and the proof, and is refused as NOT_COMPACTED', async () => {
    const forged = await presentedBy(mallory, alice.controller);
    const attack: Json = Object.fromEntries(
      Object.entries(forged).map(([k, v]) => (k === 'holder' ? [`${CRED}holder`, { id: v }] : [k, v])),
    );
    expect(await canonicalizeRdf(withoutProof(attack))).toBe(await canonicalizeRdf(withoutProof(forged)));
    const r = await verifyPresentation(attack, { challenge, now: NOW });
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.status === 'fail')).toMatchObject({
      check: 'contexts',
      code: 'NOT_COMPACTED',
      path: `$["${CRED}holder"]`,
    });
    expect(r.checks.find((c) => c.code === 'NOT_COMPACTED')!.message).toMatch(/^This presentation has been rewritten/);
    // The credentials inside are documents of their own: a rewrite inside one is refused at its own path.
    const inner = structuredClone(await presentedBy(alice, alice.controller));
    const vc = (inner.verifiableCredential as Json[])[0]!;
    (inner.verifiableCredential as Json[])[0] = Object.fromEntries(
      Object.entries(vc).map(([k, v]) => [k === 'type' ? '@type' : k, v]),
    );
    const r2 = await verifyPresentation(inner, { challenge, now: NOW });
    expect(r2.verified).toBe(false);
    expect(r2.checks.find((c) => c.status === 'fail')).toMatchObject({
      code: 'NOT_COMPACTED',
      path: '$.verifiableCredential[0]["@type"]',
    });
  });

  it('signPresentation will not sign a presentation the verifier would refuse as rewritten', async () => {
    const vp = createPresentation({ verifiableCredential: [], holder: alice.controller }) as unknown as Json;
    const rewritten = { ...vp, [`${CRED}termsOfUse`]: { id: 'https://example.edu/terms', type: 'ObligationPolicy' } };
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      await expect(
        signPresentation(rewritten as never, { key: alice, format, challenge, created }),
      ).rejects.toMatchObject({ code: 'NOT_COMPACTED', problems: [{ path: `$["${CRED}termsOfUse"]` }] });
    }
  });
});
