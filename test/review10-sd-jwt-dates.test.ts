/**
 * Review round ten: the SD-JWT verifier returns a report, never throws, for dates a NumericDate check accepts
 * (finite numbers) but a Date cannot hold (|t| > 8.64e12 s). Anyone can be the issuer of an SD-JWT VC (a did:key of
 * their own) and of its Token Status List, so such a date is attacker-made input.
 */
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { generateJwtKey, verify } from '../src';
import { signJwtPayload } from '../src/entries/proof';
import { EU_MICROCREDENTIAL_VCT } from '../src';

const NOW = new Date('2025-01-01T00:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const URI = 'https://status.example/tokens/1';
const allClear = Buffer.from(deflateSync(new Uint8Array(16))).toString('base64url');

describe('SD-JWT VC dates beyond what a Date holds', () => {
  it('in the credential (nbf, exp) and in its token status list (iat, nbf, exp): a report, not a throw', async () => {
    const es = await generateJwtKey('ES256', { kid: 'k' });
    const jwks = { keys: [{ ...es.publicJwk, kid: 'k' } as Record<string, unknown>] };
    const iss = 'https://issuer.example';
    const credential = (claims: Record<string, unknown>) =>
      signJwtPayload(
        { iss, vct: EU_MICROCREDENTIAL_VCT, status: { status_list: { uri: URI, idx: 3 } }, ...claims },
        { typ: 'dc+sd-jwt' },
        { key: es },
      );
    const list = (claims: Record<string, unknown>) =>
      signJwtPayload(
        { iss, sub: URI, status_list: { bits: 1, lst: allClear }, ...claims },
        { typ: 'statuslist+jwt' },
        { key: es },
      );
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['credential nbf', { nbf: 1e300 }, { iat: T }],
      ['credential exp', { exp: -1e300 }, { iat: T }],
      ['list iat in the future', {}, { iat: 1e300 }],
      ['list nbf', {}, { iat: T, nbf: 1e300 }],
      ['list exp', {}, { iat: T, exp: -1e300 }],
      ['list iat long ago, with maxStatusListAgeSeconds', {}, { iat: -1e300 }],
    ];
    const failures: string[] = [];
    for (const [name, c, l] of cases) {
      const token = await list(l);
      const sdJwt = `${await credential(c)}~`;
      let report: Awaited<ReturnType<typeof verify>> | undefined;
      let thrown: unknown;
      try {
        report = await verify(sdJwt, {
          now: NOW,
          jwks,
          fetchStatusList: async () => token,
          maxStatusListAgeSeconds: 3600,
        });
      } catch (e) {
        thrown = e;
      }
      if (thrown !== undefined || report?.verified !== false)
        failures.push(`${name}: ${String(thrown ?? report?.verified)}`);
    }
    expect(failures).toEqual([]);
    // A credential that never expires (exp 1e300), with a fresh list, still verifies and says so.
    const forever = await verify(`${await credential({ exp: 1e300 })}~`, {
      now: NOW,
      jwks,
      fetchStatusList: async () => list({ iat: T }),
    });
    expect(forever.verified).toBe(true);
    expect(forever.checks.find((c) => c.check === 'validity')?.message).toMatch(/no calendar date/);
  });
});
