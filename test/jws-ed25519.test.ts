import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as jose from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { generateKey, importKey } from '../src/keys';
import { signCompactEd25519, verifyCompactEd25519 } from '../src/proof/jws-ed25519';

/**
 * The native EdDSA path for VC-JWT against jose, the JOSE library it stands in for: signatures byte for byte, and
 * on valid, tampered and unusual tokens the same verdict and payload wherever the native path answers at all.
 */

const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 });
const claims = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
const headerArb = fc
  .record(
    {
      alg: fc.constant('EdDSA'),
      typ: fc.constantFrom('JWT', undefined),
      kid: fc.constantFrom('did:example:issuer#key-1', 'k', undefined),
    },
    { requiredKeys: ['alg'] },
  )
  .map((h) => JSON.parse(JSON.stringify(h)) as Record<string, unknown>);

/** A key from a seed, through the W3C Multikey secret form (base58btc of 0x8026 ‖ seed). */
const keyFromSeed = (seed: Uint8Array) =>
  importKey({ secretKeyMultibase: base58btc.encode(new Uint8Array([0x80, 0x26, ...seed])) });

describe('EdDSA compact JWS without jose', () => {
  it('signs exactly as jose CompactSign does (generated keys, headers and claims)', async () => {
    await fc.assert(
      fc.asyncProperty(seeds, headerArb, claims, async (seed, header, payload) => {
        const key = keyFromSeed(seed);
        const text = JSON.stringify(payload);
        const ours = await signCompactEd25519(header, text, key);
        const secret = await jose.importJWK(
          { ...key.toSecretJwk(), kid: undefined, alg: 'EdDSA' } as jose.JWK,
          'EdDSA',
        );
        const theirs = await new jose.CompactSign(new TextEncoder().encode(text))
          .setProtectedHeader(header as jose.CompactJWSHeaderParameters)
          .sign(secret);
        expect(ours).toBe(theirs);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with jose compactVerify on valid, tampered and unusual tokens, and answers for the plain ones', async () => {
    const key = generateKey();
    const other = generateKey();
    const publicJwk = { kty: 'OKP', crv: 'Ed25519', x: key.toPublicJwk().x };
    const joseKey = await jose.importJWK({ ...publicJwk, alg: 'EdDSA' }, 'EdDSA');
    let answered = 0;
    let invalidAnswered = 0;
    const mutate = fc.oneof(
      { weight: 3, arbitrary: fc.constant((t: string) => t) },
      // flip one character of one segment
      {
        weight: 3,
        arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...'AQgw_-9zZ')).map(
          ([at, c]) =>
            (t: string) =>
              t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1),
        ),
      },
      // padding, a stray character, a dropped character, segments swapped
      fc.constant((t: string) => `${t}=`),
      fc.constant((t: string) => t.slice(0, -1)),
      fc.constant((t: string) => {
        const [h, p, s] = t.split('.');
        return `${h}.${s}.${p}`;
      }),
    );
    const headers = fc.oneof(
      { weight: 6, arbitrary: headerArb },
      headerArb.map((h) => ({ ...h, crit: ['exp'] })),
      headerArb.map((h) => ({ ...h, b64: false, crit: ['b64'] })),
      headerArb.map((h) => ({ ...h, alg: 'ES256' })),
    );
    const jwks = fc.constantFrom<Record<string, unknown>>(
      publicJwk,
      { ...publicJwk, kid: 'k', use: 'sig' },
      { ...publicJwk, alg: 'ES256' },
      { ...publicJwk, key_ops: ['verify'] },
      { kty: 'OKP', crv: 'Ed25519', x: other.toPublicJwk().x },
    );
    await fc.assert(
      fc.asyncProperty(headers, claims, mutate, jwks, async (header, payload, change, jwk) => {
        let token: string;
        try {
          token = change(await signCompactEd25519(header, JSON.stringify(payload), key));
        } catch {
          return;
        }
        const protectedHeader = (() => {
          try {
            return jose.decodeProtectedHeader(token) as Record<string, unknown>;
          } catch {
            return undefined;
          }
        })();
        if (!protectedHeader) return;
        const ours = await verifyCompactEd25519(token, protectedHeader, jwk);
        if (ours === undefined) return;
        answered++;
        const theirs = await jose
          .compactVerify(
            token,
            jwk.x === publicJwk.x ? joseKey : await jose.importJWK({ ...jwk, alg: 'EdDSA' } as jose.JWK, 'EdDSA'),
            { algorithms: ['EdDSA'] },
          )
          .then((r) => ({ valid: true, payload: r.payload }))
          .catch(() => ({ valid: false }));
        expect(ours.valid).toBe(theirs.valid);
        if (ours.valid) expect(ours.payload).toEqual((theirs as { payload: Uint8Array }).payload);
        else invalidAnswered++;
      }),
      { numRuns: 1500 },
    );
    expect(answered).toBeGreaterThan(300);
    expect(invalidAnswered).toBeGreaterThan(50);
  });

  it('leaves critical headers, unencoded payloads, other algorithms and JWKs with other members to jose', async () => {
    const key = generateKey();
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: key.toPublicJwk().x };
    const token = await signCompactEd25519({ alg: 'EdDSA' }, '{}', key);
    expect(await verifyCompactEd25519(token, { alg: 'EdDSA' }, jwk)).toEqual({
      valid: true,
      payload: new TextEncoder().encode('{}'),
    });
    expect(await verifyCompactEd25519(token, { alg: 'EdDSA', crit: ['x'] }, jwk)).toBeUndefined();
    expect(await verifyCompactEd25519(token, { alg: 'EdDSA', b64: false }, jwk)).toBeUndefined();
    expect(await verifyCompactEd25519(token, { alg: 'ES256' }, jwk)).toBeUndefined();
    expect(await verifyCompactEd25519(token, { alg: 'EdDSA' }, { ...jwk, key_ops: ['verify'] })).toBeUndefined();
    expect(await verifyCompactEd25519(token, { alg: 'EdDSA' }, { ...jwk, alg: 'ES256' })).toBeUndefined();
    expect(await verifyCompactEd25519(`${token}=`, { alg: 'EdDSA' }, jwk)).toBeUndefined();
    // A 64-byte signature is 86 characters whose last one carries 4 unused bits: set one and the bytes are the same,
    // but the segment is not canonical, so the native path declines (jose's lenient decoder is the one to judge it).
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = token.at(-1)!;
    const stray = `${token.slice(0, -1)}${digits[digits.indexOf(last) | 1]}`;
    expect(stray).not.toBe(token);
    expect(await verifyCompactEd25519(stray, { alg: 'EdDSA' }, jwk)).toBeUndefined();
  });
});

describe('issue and verify use the native path for Ed25519 VC-JWTs', () => {
  it('jose signs and verifies nothing for an Ed25519 issuer key, and the result still verifies with jose', async () => {
    const { award, defineIssuer, issue, verify, jwtKeyFromEd25519 } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const credential = award(reiProgramme.parts[0]!, {
      issuer,
      learner: { email: 'mari@example.ee' },
      grade: 'B',
      awardedOn: '2024-01-26',
    });
    const sign = vi.spyOn(jose.CompactSign.prototype, 'sign');
    const jwt = await issue(credential, { key, format: 'vc-jwt' });
    expect(sign).not.toHaveBeenCalled();
    expect((await verify(jwt)).verified).toBe(true);
    const jwtKey = await jwtKeyFromEd25519(key);
    const { payload } = await jose.compactVerify(jwt as string, jwtKey.publicKey, { algorithms: ['EdDSA'] });
    expect(JSON.parse(new TextDecoder().decode(payload)).id).toBe(credential.id);
    sign.mockRestore();
  });
});
