import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { MicrocredError } from '../src/errors';
import {
  didKeyDocument,
  didWebDocument,
  didWebUrl,
  generateKey,
  importKey,
  parseVerificationMethodId,
  useEd25519Backend,
  usePureJsEd25519,
  type Ed25519Backend,
} from '../src/keys';
import { readFixtureJson } from './helpers/fixtures';

/** Ed25519 group order L (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function bytesToBigLE(b: Uint8Array): bigint {
  return b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
}
function bigToBytesLE(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

const BACKENDS: Ed25519Backend[] = ['node', 'webcrypto', 'noble'];

function importWith(backend: Ed25519Backend, input: Parameters<typeof importKey>[0]) {
  useEd25519Backend(backend);
  try {
    return importKey(input);
  } finally {
    useEd25519Backend('auto');
  }
}

describe('Ed25519: node:crypto, WebCrypto and pure JS', () => {
  afterEach(() => {
    useEd25519Backend('auto');
    vi.restoreAllMocks();
  });

  it('auto takes node:crypto in Node, WebCrypto when asked, and noble when forced', async () => {
    const crypto = process.getBuiltinModule('node:crypto');
    const nodeSign = vi.spyOn(crypto, 'sign');
    const webSign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const seed = generateKey().exportSecretKeyMultibase();
    const data = new Uint8Array([1, 2, 3]);
    await importKey({ secretKeyMultibase: seed }).sign(data);
    expect([nodeSign.mock.calls.length, webSign.mock.calls.length]).toEqual([1, 0]);
    await importWith('webcrypto', { secretKeyMultibase: seed }).sign(data);
    expect([nodeSign.mock.calls.length, webSign.mock.calls.length]).toEqual([1, 1]);
    usePureJsEd25519(true);
    await importKey({ secretKeyMultibase: seed }).sign(data);
    expect([nodeSign.mock.calls.length, webSign.mock.calls.length]).toEqual([1, 1]);
  });

  it('a secret key is imported into node:crypto once: the objects that derive its public key sign and verify', async () => {
    const crypto = process.getBuiltinModule('node:crypto');
    const seed = generateKey().exportSecretKeyMultibase();
    const createPrivateKey = vi.spyOn(crypto, 'createPrivateKey');
    const createPublicKey = vi.spyOn(crypto, 'createPublicKey');
    const key = importKey({ secretKeyMultibase: seed });
    expect([createPrivateKey.mock.calls.length, createPublicKey.mock.calls.length]).toEqual([1, 1]);
    const data = new Uint8Array([7, 8, 9]);
    const signature = await key.sign(data);
    expect(signature).toEqual(await importWith('noble', { secretKeyMultibase: seed }).sign(data));
    expect(await key.verify(data, signature)).toBe(true);
    expect([createPrivateKey.mock.calls.length, createPublicKey.mock.calls.length]).toEqual([1, 1]);
  });

  it('a public key imported again reuses its verifier, yet follows a backend change and keeps its own id', async () => {
    const crypto = process.getBuiltinModule('node:crypto');
    const signer = generateKey();
    const data = new Uint8Array([4, 5, 6]);
    const signature = await signer.sign(data);
    const createPublicKey = vi.spyOn(crypto, 'createPublicKey');
    const nodeVerify = vi.spyOn(crypto, 'verify');
    const first = importKey({ publicKeyMultibase: signer.publicKeyMultibase }, { controller: 'did:web:a.example' });
    const made = createPublicKey.mock.calls.length;
    expect(made).toBeGreaterThan(0);
    const again = importKey(
      { publicKeyMultibase: signer.publicKeyMultibase },
      { controller: 'did:web:b.example', id: 'did:web:b.example#k' },
    );
    expect(createPublicKey.mock.calls.length).toBe(made);
    expect([first.controller, again.controller, again.id]).toEqual([
      'did:web:a.example',
      'did:web:b.example',
      'did:web:b.example#k',
    ]);
    expect(again.publicKey).toEqual(signer.publicKey);
    expect(await again.verify(data, signature)).toBe(true);
    expect(await again.verify(new Uint8Array([4, 5, 7]), signature)).toBe(false);
    expect(nodeVerify).toHaveBeenCalledTimes(2);
    // Mutating one import's bytes must not reach the next import through the cache.
    again.publicKey[0]! ^= 1;
    expect(importKey({ publicKeyMultibase: signer.publicKeyMultibase }).publicKey).toEqual(signer.publicKey);
    const pure = importWith('noble', { publicKeyMultibase: signer.publicKeyMultibase });
    expect(await pure.verify(data, signature)).toBe(true);
    expect(nodeVerify).toHaveBeenCalledTimes(2);
  });

  it('falls back to noble when node:crypto refuses Ed25519 at call time, with the same bytes and verdicts', async () => {
    const crypto = process.getBuiltinModule('node:crypto');
    const key = generateKey();
    const data = new TextEncoder().encode('fallback');
    const expected = await key.sign(data);
    vi.spyOn(crypto, 'sign').mockImplementation(() => {
      throw new Error('Ed25519 not supported here');
    });
    vi.spyOn(crypto, 'verify').mockImplementation(() => {
      throw new Error('Ed25519 not supported here');
    });
    expect(await key.sign(data)).toEqual(expected);
    expect(await key.verify(data, expected)).toBe(true);
    const bad = expected.slice();
    bad[0]! ^= 1;
    expect(await key.verify(data, bad)).toBe(false);
  });

  it('all three give identical signatures and verify each other (generated keys and messages)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        async (seed, message, flip) => {
          const secretKeyMultibase = base58btc.encode(new Uint8Array([0x80, 0x26, ...seed]));
          const keys = BACKENDS.map((b) => importWith(b, { secretKeyMultibase }));
          // node:crypto derives the public key from the seed itself (no noble tables at start-up): same bytes.
          expect(keys[0]!.publicKey).toEqual(keys[2]!.publicKey);
          expect(keys[1]!.publicKey).toEqual(keys[2]!.publicKey);
          const signatures = await Promise.all(keys.map((k) => k.sign(message)));
          expect(signatures[1]).toEqual(signatures[0]);
          expect(signatures[2]).toEqual(signatures[0]);
          const bad = signatures[0]!.slice();
          bad[flip % 64]! ^= 1 << (flip % 8);
          for (const k of keys) {
            for (const sig of signatures) expect(await k.verify(message, sig)).toBe(true);
            expect(await k.verify(message, bad)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('all three refuse a malleated signature (S + L, RFC 8032 §5.1.7) and wrong lengths', async () => {
    const message = new TextEncoder().encode('malleability');
    const key = generateKey();
    const sig = await key.sign(message);
    const s = bytesToBigLE(sig.slice(32)) + L;
    const malleated = new Uint8Array([...sig.slice(0, 32), ...bigToBytesLE(s, 32)]);
    expect(s < 2n ** 256n).toBe(true);
    for (const backend of BACKENDS) {
      const k = importWith(backend, { publicKeyMultibase: key.publicKeyMultibase });
      expect(await k.verify(message, sig), backend).toBe(true);
      expect(await k.verify(message, malleated), backend).toBe(false);
      expect(await k.verify(message, sig.slice(0, 63)), backend).toBe(false);
      expect(await k.verify(message, new Uint8Array(64)), backend).toBe(false);
    }
  });
});

describe('Multikey encodings', () => {
  it('reads the W3C 32-byte and the legacy 64-byte secret forms to the same key; a 64-byte form with a foreign public half is refused', () => {
    const w3c = readFixtureJson<{ publicKeyMultibase: string; privateKeyMultibase: string }>(
      'w3c-vc-di-eddsa',
      'TestVectors',
      'keyPair.json',
    );
    const key = importKey({ secretKeyMultibase: w3c.privateKeyMultibase });
    const seed = base58btc.decode(w3c.privateKeyMultibase).slice(2);
    const legacy = base58btc.encode(new Uint8Array([0x80, 0x26, ...seed, ...key.publicKey]));
    expect(importKey({ secretKeyMultibase: legacy }).publicKeyMultibase).toBe(w3c.publicKeyMultibase);
    const other = generateKey().publicKey;
    const mismatched = base58btc.encode(new Uint8Array([0x80, 0x26, ...seed, ...other]));
    expect(() => importKey({ secretKeyMultibase: mismatched })).toThrow(/public half/);
    // Export is always the W3C form.
    expect(importKey({ secretKeyMultibase: legacy }).exportSecretKeyMultibase()).toBe(w3c.privateKeyMultibase);
  });

  it('refuses every other encoding with INVALID_KEY, never a TypeError', () => {
    const key = generateKey();
    const pub = key.publicKey;
    const bad: unknown[] = [
      null,
      'z6Mk',
      {},
      { publicKeyMultibase: 42 },
      { publicKeyMultibase: '' },
      { publicKeyMultibase: 'z' },
      { publicKeyMultibase: 'z0OIl' }, // not base58
      { publicKeyMultibase: base58btc.encode(new Uint8Array([0xed, 0x01, ...pub, 0])) }, // 33 bytes
      { publicKeyMultibase: base58btc.encode(new Uint8Array([0xe7, 0x01, ...pub])) }, // secp256k1-pub header
      { publicKeyMultibase: base58btc.encode(new Uint8Array([0xed, 0x01, ...new Uint8Array(32).fill(0xff)])) }, // not a point
      { publicKeyMultibase: 'u7QE' + 'A'.repeat(43) }, // base64url multibase
      { secretKeyMultibase: base58btc.encode(new Uint8Array([0x80, 0x26, 1, 2, 3])) },
      { secretKeyMultibase: base58btc.encode(new Uint8Array([0x13, 0x00, ...new Uint8Array(32)])) },
      { jwk: { kty: 'OKP', crv: 'X25519', x: 'AA' } },
      { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'not base64url!' } },
      { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAAA' } }, // 5 characters: no base64 length
      { jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } }, // 3 bytes
      { jwk: { kty: 'OKP', crv: 'Ed25519', x: key.toPublicJwk().x, d: 'AAAA' } },
      { jwk: null },
    ];
    for (const input of bad) {
      let error: unknown;
      try {
        importKey(input as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(input)).toBeInstanceOf(MicrocredError);
      expect((error as MicrocredError).code).toBe('INVALID_KEY');
    }
  });

  it('public JWK round trip; controllers and verification method ids', () => {
    const key = generateKey({ controller: 'https://uni.example/issuers/1' });
    expect(key.id).toBe(`https://uni.example/issuers/1#${key.publicKeyMultibase}`);
    const back = importKey({ jwk: key.toPublicJwk() }, { controller: key.controller });
    expect(back.hasSecret).toBe(false);
    expect(back.id).toBe(key.id);
    expect(key.toPublicJwk()).not.toHaveProperty('d');
    expect(key.toVerificationMethod()).toEqual({
      id: key.id,
      type: 'Multikey',
      controller: key.controller,
      publicKeyMultibase: key.publicKeyMultibase,
    });
  });
});

describe('DIDs and verification method ids', () => {
  it('didKeyDocument takes the multibase, the DID or a DID URL, and derives the same document', () => {
    const key = generateKey();
    const doc = didKeyDocument(key.publicKeyMultibase);
    expect(doc).toEqual(didKeyDocument(key.controller));
    expect(doc).toEqual(didKeyDocument(key.id));
    expect(doc).toMatchObject({
      id: key.controller,
      assertionMethod: [key.id],
      verificationMethod: [key.toVerificationMethod()],
    });
    expect(doc['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    for (const bad of ['did:key:zQ3s', 'z6Mk', 'did:web:example.edu', 42])
      expect(() => didKeyDocument(bad as string)).toThrow(MicrocredError);
  });

  it('didWebDocument: a Multikey VM referenced from assertionMethod', () => {
    const did = 'did:web:example.edu:issuers:1';
    const key = generateKey({ controller: did });
    const doc = didWebDocument(key, did);
    expect(doc).toMatchObject({
      id: did,
      verificationMethod: [
        {
          id: `${did}#${key.publicKeyMultibase}`,
          type: 'Multikey',
          controller: did,
          publicKeyMultibase: key.publicKeyMultibase,
        },
      ],
      assertionMethod: [key.id],
    });
    expect(() => didWebDocument(key, 'did:web:')).toThrow(MicrocredError);
  });

  it('didWebUrl follows the did:web method spec and refuses DIDs that would point elsewhere', () => {
    expect(didWebUrl('did:web:w3c-ccg.github.io')).toBe('https://w3c-ccg.github.io/.well-known/did.json');
    expect(didWebUrl('did:web:w3c-ccg.github.io:user:alice')).toBe('https://w3c-ccg.github.io/user/alice/did.json');
    expect(didWebUrl('did:web:example.com%3A3000:user:alice')).toBe('https://example.com:3000/user/alice/did.json');
    expect(didWebUrl('did:web:example.com:u%20x')).toBe('https://example.com/u%20x/did.json');
    for (const bad of [
      'did:web:example.com:..:admin',
      'did:web:example.com:%2e%2E',
      'did:web:example.com:a:.',
      'did:web:example.com%2Fevil',
      'did:web:example.com:%E0',
      'did:web:user@evil.example',
      'did:web:example.com:a b',
      'did:web:example.com::x',
      'did:web:.example.com',
      'did:web:example.com#frag',
      'did:key:z6Mk',
      '',
    ]) {
      expect(() => didWebUrl(bad), bad).toThrow(MicrocredError);
    }
  });

  it('parseVerificationMethodId: did:key, did:web and the 1EdTech https fragment convention', () => {
    const key = generateKey();
    expect(parseVerificationMethodId(key.id)).toEqual({
      id: key.id,
      controller: key.controller,
      fragment: key.publicKeyMultibase,
      method: 'did:key',
      publicKeyMultibase: key.publicKeyMultibase,
    });
    expect(parseVerificationMethodId(key.controller)).toMatchObject({
      method: 'did:key',
      publicKeyMultibase: key.publicKeyMultibase,
    });
    expect(() => parseVerificationMethodId(`${key.controller}#${generateKey().publicKeyMultibase}`)).toThrow(
      /fragment/,
    );
    expect(parseVerificationMethodId('did:web:example.edu#key-1')).toEqual({
      id: 'did:web:example.edu#key-1',
      controller: 'did:web:example.edu',
      fragment: 'key-1',
      method: 'did:web',
    });
    const vector = 'https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';
    // The fragment key is reported as such, never as the controller's publicKeyMultibase: nothing ties the two.
    expect(parseVerificationMethodId(vector)).toMatchObject({
      method: 'https',
      controller: 'https://example.edu/issuers/565049',
      fragmentKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
    });
    expect(parseVerificationMethodId(vector)).not.toHaveProperty('publicKeyMultibase');
    // An https fragment that is not a key is just a fragment: it needs the controller document.
    expect(parseVerificationMethodId('https://example.edu/issuers/565049#key-1')).not.toHaveProperty(
      'publicKeyMultibase',
    );
    for (const bad of ['', 42, null]) expect(() => parseVerificationMethodId(bad as string)).toThrow(MicrocredError);
  });
});

describe('hostile input to the key and DID functions', () => {
  it('arbitrary values either work or throw MicrocredError, never a TypeError', async () => {
    const key = generateKey();
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(MicrocredError);
      }
    };
    const shaped = fc.oneof(
      fc.anything(),
      fc.record({ publicKeyMultibase: fc.oneof(fc.string(), fc.anything()) }),
      fc.record({
        secretKeyMultibase: fc.oneof(
          fc.string().map((s) => 'z' + s),
          fc.anything(),
        ),
      }),
      fc.record({
        jwk: fc.oneof(
          fc.anything(),
          fc.record({
            kty: fc.constant('OKP'),
            crv: fc.constant('Ed25519'),
            x: fc.string(),
            d: fc.option(fc.string(), { nil: undefined }),
          }),
        ),
      }),
    );
    fc.assert(
      fc.property(shaped, fc.anything(), fc.string(), (input, anything, text) => {
        attempt(() => importKey(input as never));
        attempt(() => parseVerificationMethodId(anything as string));
        attempt(() => parseVerificationMethodId(text));
        attempt(() => parseVerificationMethodId(`did:key:${text}`));
        attempt(() => parseVerificationMethodId(`https://x.example/i#${text}`));
        attempt(() => didKeyDocument(anything as string));
        attempt(() => didWebUrl(`did:web:${text}`));
        attempt(() => didWebUrl(anything as string));
        attempt(() => didWebDocument(key, `did:web:${text}`));
      }),
      { numRuns: 1000 },
    );
  });
});
