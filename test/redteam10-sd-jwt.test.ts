import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { exportJWK } from 'jose';
import {
  award,
  defineIssuer,
  generateJwtKey,
  generateKey,
  issue,
  jwtKeyFromEd25519,
  presentSdJwt,
  signTokenStatusList,
  tokenStatusListUri,
  verify,
  type ErrorCode,
  type VerificationReport,
} from '../src';
import { signJwtPayload } from '../src/entries/proof';
import { statusListEntry } from '../src/entries/status';
import { EU_MICROCREDENTIAL_VCT } from '../src';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';

/**
 * Round ten: SD-JWT VCs and their IETF Token Status Lists, attacked by whoever answers the status list's URL (a
 * wallet that supplies lists, a mirror, a CDN) and by disclosures an issuer signed without looking.
 */

const edKey = generateKey();
const issuer = defineIssuer({
  id: edKey.controller,
  name: 'University of Tartu',
  country: 'EE',
  region: 'Tartu County',
});
const learner = sampleLearners[0].learner;
const NOW = new Date('2025-01-01T00:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const LIST = 'https://status.example/revocation/1';
const URI = tokenStatusListUri(LIST);
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const codeOf = (report: VerificationReport, check: string): ErrorCode | undefined =>
  report.checks.find((c) => c.status === 'fail' && c.check === check)?.code;

/** A revoked credential: entry 5 of LIST. */
const revoked = issue(
  award(reiProgramme.parts[0]!, {
    issuer,
    learner,
    grade: 'A',
    awardedOn: '2024-06-10',
    credentialStatus: statusListEntry({ listCredentialId: LIST, index: 5, purpose: 'revocation' }) as never,
  }),
  { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() },
);
/** A token list in which nothing is revoked: what an attacker wants the verifier to read. */
const allClear = Buffer.from(deflateSync(new Uint8Array(16))).toString('base64url');
const served = (token: string) => async (url: string) =>
  url === URI ? token : Promise.reject(new Error(`404 ${url}`));

describe('SD-JWT VC status: the list must be the issuer’s', () => {
  it('a list signed by someone who names themself as its issuer (header jwk or kid) is refused', async () => {
    const mallory = generateKey();
    for (const jwtHeader of ['jwk', 'kid'] as const) {
      const forged = await signTokenStatusList(new Uint8Array(16), {
        key: await jwtKeyFromEd25519(mallory),
        uri: URI,
        issuer: mallory.controller,
        issuedAt: NOW,
        jwtHeader,
      });
      const report = await verify(await revoked, { now: NOW, fetchStatusList: served(forged) });
      expect(report.verified, jwtHeader).toBe(false);
      expect(codeOf(report, 'status'), jwtHeader).toBe('STATUS_LIST_INVALID');
    }
  });

  it('a list with no iss, signed by a key only its own header names, is refused even with acceptUnconfirmedFragmentKeys', async () => {
    const mallory = await jwtKeyFromEd25519(generateKey());
    const forged = await signJwtPayload(
      { sub: URI, iat: T, status_list: { bits: 1, lst: allClear } },
      { typ: 'statuslist+jwt' },
      { key: mallory, header: 'jwk' },
    );
    for (const acceptUnconfirmedFragmentKeys of [false, true]) {
      const report = await verify(await revoked, {
        now: NOW,
        fetchStatusList: served(forged),
        acceptUnconfirmedFragmentKeys,
      });
      expect(report.verified, String(acceptUnconfirmedFragmentKeys)).toBe(false);
      expect(codeOf(report, 'status')).toBe('STATUS_LIST_INVALID');
    }
  });

  it('the issuer’s own list still counts, and still revokes', async () => {
    const token = await signTokenStatusList(new Uint8Array(16).fill(0xff), {
      key: await jwtKeyFromEd25519(edKey),
      uri: URI,
      issuer: edKey.controller,
      issuedAt: NOW,
    });
    expect(codeOf(await verify(await revoked, { now: NOW, fetchStatusList: served(token) }), 'status')).toBe('REVOKED');
  });
});

describe('SD-JWT VC status: a list goes stale', () => {
  const key = jwtKeyFromEd25519(edKey);
  const list = async (claims: Record<string, unknown>) =>
    signJwtPayload(
      { iss: edKey.controller, sub: URI, status_list: { bits: 1, lst: allClear }, ...claims },
      { typ: 'statuslist+jwt' },
      { key: await key },
    );

  it('maxStatusListAgeSeconds holds a token list to its iat, as it holds a Bitstring list to its validFrom', async () => {
    const oldCopy = await list({ iat: T - 10 * 86400 }); // no exp: valid forever but for this bound
    const report = await verify(await revoked, {
      now: NOW,
      fetchStatusList: served(oldCopy),
      maxStatusListAgeSeconds: 3600,
    });
    expect(report.verified).toBe(false);
    expect(codeOf(report, 'status')).toBe('STATUS_LIST_EXPIRED');
    const fresh = await list({ iat: T - 60 });
    const ok = await verify(await revoked, { now: NOW, fetchStatusList: served(fresh), maxStatusListAgeSeconds: 3600 });
    expect(ok.verified).toBe(true); // the all-clear list is the issuer's, and fresh
  });

  it('an unreadable exp, iat or nbf, or none iat, is malformed; a list not yet valid does not count', async () => {
    for (const claims of [{ iat: T, exp: String(T - 1) }, { iat: String(T) }, {}, { iat: T, nbf: 'now' }]) {
      const report = await verify(await revoked, { now: NOW, fetchStatusList: served(await list(claims)) });
      expect(codeOf(report, 'status'), JSON.stringify(claims)).toBe('STATUS_MALFORMED');
    }
    for (const claims of [{ iat: T + 86400 }, { iat: T, nbf: T + 86400 }]) {
      const report = await verify(await revoked, { now: NOW, fetchStatusList: served(await list(claims)) });
      expect(codeOf(report, 'status'), JSON.stringify(claims)).toBe('STATUS_LIST_EXPIRED');
    }
  });
});

describe('SD-JWT VC disclosures: __proto__', () => {
  const dig = (d: string) => createHash('sha256').update(d).digest('base64url');
  const base = { iss: 'https://x.example', vct: EU_MICROCREDENTIAL_VCT };

  it('a disclosure named __proto__, or with a __proto__ member in its value, is refused: DISCLOSURE_MALFORMED', async () => {
    const es = await generateJwtKey('ES256', { kid: 'k' });
    const jwks = { keys: [{ ...es.publicJwk, kid: 'k' } as Record<string, unknown>] };
    // Unpacked by assignment, these become prototypes: the claims as JSON show no grade, the EU view reads "A+".
    for (const disclosure of [
      b64(JSON.stringify(['salt', '__proto__', { grade: { value: 'A+' } }])),
      b64('["salt","learner",{"__proto__":{"name":"Someone Else"}}]'),
      b64('["salt",{"__proto__":{"x":1}}]'),
    ]) {
      const arrayElement = JSON.parse(Buffer.from(disclosure, 'base64url').toString()).length === 2;
      const payload = arrayElement
        ? { ...base, list: [{ '...': dig(disclosure) }] }
        : { ...base, _sd: [dig(disclosure)] };
      const sdJwt = `${await signJwtPayload(payload, { typ: 'dc+sd-jwt' }, { key: es })}~${disclosure}~`;
      const report = await verify(sdJwt, { now: NOW, jwks });
      expect(report.verified, disclosure).toBe(false);
      expect(codeOf(report, 'disclosures'), disclosure).toBe('DISCLOSURE_MALFORMED');
      expect(report.euElements?.grade, disclosure).toBeUndefined();
    }
  });
});

describe('SD-JWT VC key binding: an unusable maxAgeSeconds', () => {
  it('NaN, a negative number or a string fails the key binding (INVALID_INPUT) instead of accepting any age', async () => {
    const holderKey = await generateJwtKey('ES256');
    const sdJwt = await issue(award(reiProgramme.parts[0]!, { issuer, learner, grade: 'A', awardedOn: '2024-06-10' }), {
      key: edKey,
      format: 'dc+sd-jwt',
      holderKey: await exportJWK(holderKey.publicKey as CryptoKey),
    } as never);
    const monthOld = await presentSdJwt(
      sdJwt as string,
      {
        holderKey,
        nonce: 'n',
        audience: 'a',
        disclose: ['grade'],
        issuedAt: new Date(NOW.getTime() - 30 * 86400_000),
      } as never,
    );
    for (const maxAgeSeconds of [Number.NaN, -1, '999999999' as unknown as number]) {
      const report = await verify(monthOld, { now: NOW, keyBinding: { nonce: 'n', audience: 'a', maxAgeSeconds } });
      expect(report.verified, String(maxAgeSeconds)).toBe(false);
      expect(codeOf(report, 'holderBinding'), String(maxAgeSeconds)).toBe('INVALID_INPUT');
    }
    const report = await verify(monthOld, {
      now: NOW,
      keyBinding: { nonce: 'n', audience: 'a', maxAgeSeconds: Number.POSITIVE_INFINITY },
    });
    expect(report.checks.find((c) => c.check === 'holderBinding')?.status).toBe('pass');
  });
});
