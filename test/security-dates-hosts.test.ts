/**
 * Proof dates are checked against `now`, a VC-JWT's exp/nbf bind even when the credential has no
 * dates of its own, an invalid `now` is an error, and the caller's resolver and fetcher are never handed loopback,
 * private or link-local hosts a credential names (unless the caller allows it).
 */
import { describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { MicrocredError, award, defineIssuer, generateKey, issue, jwtKeyFromEd25519, verify } from '../src';
import { statusListEntry } from '../src/entries/status';
import { verifyProof } from '../src/entries/proof';
import { computeHashData } from '../src/proof/data-integrity';
import { isPrivateHostUrl } from '../src/proof/host-guard';
import { reiProgramme } from '../examples/rei-programme';
import { cli } from './helpers/cli';

type Json = Record<string, unknown>;
/** A status entry in the shape award() takes. */
const entry = (input: Parameters<typeof statusListEntry>[0]) =>
  statusListEntry(input) as unknown as { type: string; [k: string]: unknown };
const NOW = new Date('2026-11-29T12:00:00Z');
const key = generateKey();
const issuerFor = (id: string) => defineIssuer({ id, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0]!, {
  issuer: issuerFor(key.controller),
  learner: 'did:example:learner',
  grade: 'A',
  awardedOn: '2024-01-26',
});
const check = (r: Awaited<ReturnType<typeof verify>>, name: string) => r.checks.find((c) => c.check === name);

describe('proof created / expires', () => {
  it('a proof created in the future (beyond the clock skew) fails: PROOF_NOT_YET_VALID', async () => {
    const future = await issue(credential, { key, created: '2026-11-29T13:00:00Z' });
    const r = await verify(future, { now: NOW });
    expect(r.verified).toBe(false);
    expect(check(r, 'proof')).toMatchObject({ status: 'fail', code: 'PROOF_NOT_YET_VALID' });
    // Within the 5-minute skew it holds.
    expect(
      (await verify(await issue(credential, { key, created: '2026-11-29T12:04:00Z' }), { now: NOW })).verified,
    ).toBe(true);
  });

  it('a proof whose expires has passed fails: PROOF_EXPIRED', async () => {
    const unsecured = { ...credential } as Json;
    const config = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      created: '2024-01-26T00:00:00Z',
      expires: '2025-01-26T00:00:00Z',
      verificationMethod: key.id,
      proofPurpose: 'assertionMethod',
      '@context': unsecured['@context'],
    };
    const signature = await key.sign(await computeHashData(unsecured, config, 'eddsa-jcs-2022'));
    const signed = { ...unsecured, proof: [{ ...config, proofValue: base58btc.encode(signature) }] };
    expect((await verify(signed, { now: new Date('2024-06-01T00:00:00Z') })).verified).toBe(true);
    const r = await verify(signed, { now: NOW });
    expect(r.verified).toBe(false);
    expect(check(r, 'proof')).toMatchObject({ status: 'fail', code: 'PROOF_EXPIRED' });
    expect(await verifyProof(signed, signed.proof[0], { now: NOW })).toMatchObject({
      verified: false,
      code: 'PROOF_EXPIRED',
    });
  });
});

describe('VC-JWT exp / nbf', () => {
  async function jwtWith(claims: Json, cred: Json): Promise<string> {
    const jwtKey = await jwtKeyFromEd25519(key);
    const payload = { ...cred, iss: key.controller, jti: cred.id, ...claims };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: key.id })
      .sign(jwtKey.privateKey!);
  }

  it('exp in the past expires a credential that has no validUntil', async () => {
    expect((credential as unknown as Json).validUntil).toBeUndefined();
    const jwt = await jwtWith({ exp: Date.UTC(2025, 0, 1) / 1000 }, credential as unknown as Json);
    const r = await verify(jwt, { now: NOW });
    expect(r.verified).toBe(false);
    expect(check(r, 'validity')).toMatchObject({
      status: 'fail',
      code: 'EXPIRED',
      message: expect.stringMatching(/exp/),
    });
  });

  it('nbf in the future makes a credential without validFrom not yet valid', async () => {
    const { validFrom: _v, ...undated } = credential as unknown as Json;
    const jwt = await jwtWith({ nbf: Date.UTC(2030, 0, 1) / 1000 }, undated);
    const r = await verify(jwt, { now: NOW });
    expect(r.verified).toBe(false);
    expect(check(r, 'validity')).toMatchObject({ status: 'fail', code: 'NOT_YET_VALID' });
  });
});

describe('an invalid now is an error, not "no date checks"', () => {
  it('verify(), verifyProof, verifyProofSet, verifyStack and verifyClr throw INVALID_INPUT (one behaviour, docs/errors.md)', async () => {
    const signed = await issue(credential, { key });
    await expect(verify(signed, { now: new Date('garbage') })).rejects.toThrow(MicrocredError);
    await expect(verify(signed, { now: new Date('garbage') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(verifyProof(signed, (signed.proof as unknown[])[0], { now: new Date(NaN) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const { verifyStack, verifyClr } = await import('../src');
    const { verifyProofSet } = await import('../src/entries/proof');
    await expect(verifyProofSet(signed, { now: new Date(NaN) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(verifyStack({ programme: signed, parts: [signed], now: new Date(NaN) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(verifyClr(signed, { now: new Date(NaN) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // A clock skew that is not a number would switch the same checks off.
    await expect(verify(signed, { clockSkewSeconds: NaN })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(verify(signed, { now: '2026-01-01' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('microcred verify --now garbage exits 2 with a clear message', async () => {
    const r = cli(['verify', 'package.json', '--now', 'garbage']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--now must be a date-time/);
  }, 60_000);
});

describe('the resolver and the status fetcher are never handed private hosts', () => {
  const hosts = [
    'did:web:127.0.0.1',
    'did:web:169.254.169.254',
    'did:web:localhost%3A8443',
    'did:web:10.0.0.7:issuer',
    'https://localhost/issuer',
    'https://[::1]/issuer',
    'https://192.168.1.1/u',
  ];
  for (const controller of hosts) {
    it(`a proof whose key is controlled by ${controller}: resolver not called, unless allowPrivateHosts`, async () => {
      const k = generateKey({ controller });
      const signed = await issue(
        award(reiProgramme.parts[0]!, {
          issuer: issuerFor(controller),
          learner: 'did:example:l',
          grade: 'A',
          awardedOn: '2024-01-26',
        }),
        { key: k, format: 'eddsa-jcs-2022' },
      );
      const asked: string[] = [];
      const resolveDocument = async (url: string) => (asked.push(url), {});
      const r = await verify(signed, { resolveDocument });
      expect(asked).toEqual([]);
      expect(r.verified).toBe(false);
      await verify(signed, { resolveDocument, allowPrivateHosts: true });
      expect(asked.length).toBe(1);
    });
  }

  it('a status list on 169.254.169.254 is not fetched', async () => {
    const withStatus = award(reiProgramme.parts[0]!, {
      issuer: issuerFor(key.controller),
      learner: 'did:example:l',
      grade: 'A',
      awardedOn: '2024-01-26',
      credentialStatus: entry({
        listCredentialId: 'http://169.254.169.254/latest/meta-data',
        index: 3,
        purpose: 'revocation',
      }),
    });
    const signed = await issue(withStatus, { key });
    const fetched: string[] = [];
    const r = await verify(signed, { fetchStatusList: async (url) => (fetched.push(url), {}) });
    expect(fetched).toEqual([]);
    expect(check(r, 'status')).toMatchObject({ status: 'fail', code: 'STATUS_RETRIEVAL_ERROR' });
  });

  it('isPrivateHostUrl: loopback, private, link-local, unspecified, localhost names and their disguises', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://127.1/',
      'https://0.0.0.0/',
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://172.31.255.255/',
      'https://192.168.0.1/',
      'https://169.254.169.254/',
      'https://[::1]/',
      'https://[::]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://[fe80::1]/',
      'https://[fc00::1]/',
      'https://[fd12:3456::1]/',
      'https://localhost/',
      'https://LOCALHOST./',
      'https://a.localhost/',
      'https://printer.local/',
      'not a url',
    ]) {
      expect(isPrivateHostUrl(url), url).toBe(true);
    }
    for (const url of [
      'https://www.ut.ee/',
      'https://8.8.8.8/',
      'https://172.32.0.1/',
      'https://[2a00:1450::1]/',
      'https://digitalcredentials.github.io/x',
    ]) {
      expect(isPrivateHostUrl(url), url).toBe(false);
    }
  });
});
