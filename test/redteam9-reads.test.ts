/**
 * Round nine of "a caller's object is read once": what the verifier decides before its copy is made, and what a
 * caller's resolver or document loader hands back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPresentation, generateKey, issue, signPresentation, verifyPresentation } from '../src';

type Doc = Record<string, unknown>;
const challenge = 'nonce-9';

/** `doc` with a Proxy in front that counts the reads of each member. */
function counted(doc: Doc): { proxy: Doc; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const proxy = new Proxy(doc, {
    get(target, key, receiver) {
      if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return { proxy, reads };
}

describe("verifyPresentation() reads the caller's presentation once, the envelope test included", () => {
  const learner = generateKey();
  const issuer = generateKey();
  let signed: Doc;
  const now = new Date(Date.now() + 60_000);
  beforeAll(async () => {
    const credential = await issue(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:uuid:${crypto.randomUUID()}`,
        type: ['VerifiableCredential'],
        issuer: issuer.controller,
        validFrom: '2025-01-01T00:00:00Z',
        credentialSubject: { id: learner.controller, name: 'Mari' },
      },
      { key: issuer },
    );
    signed = JSON.parse(
      JSON.stringify(
        await signPresentation(createPresentation({ verifiableCredential: [credential], holder: learner.controller }), {
          key: learner,
          challenge,
        }),
      ),
    ) as Doc;
  });

  it('each member of a JSON-LD presentation is read exactly once', async () => {
    const { proxy, reads } = counted(signed);
    const report = await verifyPresentation(proxy, { challenge, now });
    expect(report.verified).toBe(true);
    // The envelope test read `type` before the copy was made: a getter could route the presentation by one answer and
    // have it checked by another.
    expect(Object.fromEntries(reads)).toEqual(Object.fromEntries(Object.keys(signed).map((k) => [k, 1])));
  });

  it('a presentation whose type answers "envelope" only to the first read is judged on one reading', async () => {
    // The envelope test used to see an EnvelopedVerifiablePresentation and the copy a plain one (or the reverse):
    // whichever read changes, the report's format and verdict follow the single reading the copy holds.
    for (let changeAfter = 0; changeAfter <= 3; changeAfter++) {
      let n = 0;
      const doc = { ...signed };
      Object.defineProperty(doc, 'type', {
        enumerable: true,
        get: () => (++n <= changeAfter ? 'EnvelopedVerifiablePresentation' : signed.type),
      });
      const report = await verifyPresentation(doc, { challenge, now });
      expect(n, `type changes after read ${changeAfter}`).toBe(1);
      if (changeAfter === 0) expect(report.verified).toBe(true);
      else expect(report.format).not.toBe('json-ld');
    }
  });
});
