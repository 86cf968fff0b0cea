/**
 * Round nine of "a caller's object is read once": what the verifier decides before its copy is made, and what a
 * caller's resolver or document loader hands back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPresentation, generateKey, issue, signPresentation, verify, verifyPresentation } from '../src';
import { didWebDocument, didWebUrl } from '../src/keys/did';
import { createDocumentLoader } from '../src/jsonld/loader';

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

describe("a caller's resolver answer is read once, and a hostile one is a report", () => {
  const signer = generateKey({ controller: 'did:web:uni.example' });
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:7d0b8a4e-3f0e-4b7e-9a57-1c2d3e4f5a6b',
    type: ['VerifiableCredential'],
    issuer: signer.controller,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:mari', name: 'Mari' },
  };
  const formats = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const;
  const signedAs = (format: (typeof formats)[number]) => issue(credential as never, { key: signer, format } as never);
  const resolving = (doc: unknown) => async (url: string) => (url === didWebUrl(signer.controller) ? doc : undefined);

  it('the key a DID document lists is read once: the signature is checked with the key the relationship check saw', async () => {
    const listed = generateKey().publicKeyMultibase; // what the document shows first
    for (const format of formats) {
      const doc = didWebDocument(signer, signer.controller) as unknown as Doc;
      const method = { ...(doc.verificationMethod as Doc[])[0]! };
      let reads = 0;
      // First read: another key; later reads: the signer's. Read twice (is it a string? then take it), the signature
      // was checked with a key the first reading never showed.
      Object.defineProperty(method, 'publicKeyMultibase', {
        enumerable: true,
        get: () => (++reads === 1 ? listed : signer.publicKeyMultibase),
      });
      const report = await verify(await signedAs(format), {
        resolveDocument: resolving({ ...doc, verificationMethod: [method] }),
      });
      expect(report.verified, format).toBe(false);
      expect(reads, format).toBe(1);
    }
  });

  it('a throwing getter, a revoked proxy, a bigint, deep nesting or __proto__ in the answer fails the proof, never throws', async () => {
    const good = didWebDocument(signer, signer.controller) as unknown as Doc;
    const throwing = { ...good };
    Object.defineProperty(throwing, 'verificationMethod', {
      enumerable: true,
      get() {
        throw new Proxy(
          {},
          {
            get: () => {
              throw new Error('hostile');
            },
          },
        );
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    let deep: unknown = good.verificationMethod;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const proto = JSON.parse(
      JSON.stringify({ ...good, assertionMethod: undefined }).replace(
        '{',
        `{"__proto__":{"assertionMethod":${JSON.stringify(good.assertionMethod)}},`,
      ),
    ) as Doc;
    const answers: Record<string, unknown> = {
      throwing,
      revoked,
      bigint: { ...good, id: 10n },
      deep: { ...good, verificationMethod: deep },
      proto,
    };
    for (const format of formats) {
      const signed = await signedAs(format);
      expect((await verify(signed, { resolveDocument: resolving(good) })).verified, format).toBe(true);
      for (const [name, answer] of Object.entries(answers)) {
        const report = await verify(signed, { resolveDocument: resolving(answer) });
        expect(report.verified, `${format} ${name}`).toBe(false);
        expect(
          report.checks.find((c) => c.check === 'proof'),
          `${format} ${name}`,
        ).toMatchObject({
          status: 'fail',
          code: 'RESOLVER_ERROR',
        });
      }
    }
  });
});

describe("a caller's document loader is asked once per URL, and what it serves is read once", () => {
  const EXT = 'https://contexts.example/ext/v1';
  const signer = generateKey();
  const extContext = { '@context': { '@protected': true, nickname: 'https://contexts.example/vocab#nickname' } };
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', EXT],
    id: 'urn:uuid:0f6c7f1e-5b8a-4c39-9d0e-2a1b3c4d5e6f',
    type: ['VerifiableCredential'],
    issuer: signer.controller,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:mari', nickname: 'Mari' },
  };

  it('a context that changes between loads is judged on its first', async () => {
    const contexts = { [EXT]: extContext };
    const signed = await issue(credential as never, { key: signer, contexts } as never);
    expect((await verify(signed, { contexts })).verified).toBe(true);
    // A fetching loader (or a getter in what it serves) that answers the checks one context and the canonicalization
    // another: the second maps `nickname` elsewhere.
    const other = { '@context': { '@protected': true, nickname: 'https://contexts.example/vocab#name' } };
    const asked: string[] = [];
    const loader = createDocumentLoader({
      fetchContext: async (url) => (asked.push(url), asked.length === 1 ? extContext : other),
    });
    // The URL is one the caller vouches for (`contexts`); the caller's loader serves it.
    const report = await verify(signed, { contexts, documentLoader: loader });
    expect(asked).toEqual([EXT]);
    expect(report.verified).toBe(true);
  });

  it('a context whose getter throws, a revoked proxy or a bigint is a report, not a throw', async () => {
    const contexts = { [EXT]: extContext };
    const signed = await issue(credential as never, { key: signer, contexts } as never);
    const throwing = { '@context': { ...extContext['@context'] } };
    Object.defineProperty(throwing['@context'], 'nickname', {
      enumerable: true,
      get() {
        throw new Error('hostile');
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const served of [throwing, revoked, { '@context': { nickname: 10n } }]) {
      const report = await verify(signed, { contexts: { [EXT]: served } });
      expect(report.verified).toBe(false);
      expect(report.checks.some((c) => c.status === 'fail')).toBe(true);
    }
  });
});

describe('readOnce refuses a __proto__ member however a proxy reports it', () => {
  it('a proxy that lists __proto__ to the key listing and denies it afterwards is refused, not inherited unsigned', async () => {
    const signer = generateKey();
    const signed = (await issue(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: 'urn:uuid:5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b',
        type: ['VerifiableCredential'],
        issuer: signer.controller,
        validFrom: '2025-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:mari', name: 'Mari' },
      } as never,
      { key: signer, format: 'eddsa-jcs-2022' } as never,
    )) as unknown as Doc;
    expect((await verify(signed)).verified).toBe(true);
    // Unsigned: what the copy inherited once `copy.__proto__ = …` ran; the report then showed this name, verified.
    const unsigned = { name: 'Forged by nobody', description: 'not signed' };
    let asked = 0;
    const hostile = new Proxy(signed, {
      ownKeys: (target) => [...Reflect.ownKeys(target), '__proto__'],
      getOwnPropertyDescriptor: (target, key) =>
        key === '__proto__'
          ? ++asked === 1
            ? { value: unsigned, enumerable: true, configurable: true, writable: true }
            : undefined
          : Reflect.getOwnPropertyDescriptor(target, key),
      get: (target, key, receiver) => (key === '__proto__' ? unsigned : Reflect.get(target, key, receiver)),
    });
    const report = await verify(hostile);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.check === 'parse')).toMatchObject({ status: 'fail', code: 'INVALID_INPUT' });
    expect((report.credential as Doc | undefined)?.name).toBeUndefined();
  });
});
