/**
 * A key counts for an issuer only when something the issuer controls says so. Every
 * attack credential is made here, with the library alone and without the issuer's key.
 */
import { describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from './helpers/cli';
import {
  award,
  defineIssuer,
  didKeyDocument,
  didWebDocument,
  didWebUrl,
  exportJwks,
  generateJwtKey,
  generateKey,
  issue,
  jwtKeyFromEd25519,
  verify,
  type IssueFormat,
} from '../src';
import { createResolver, signJwt } from '../src/entries/proof';
import { reiProgramme } from '../examples/rei-programme';

const UT = 'https://www.ut.ee/en';
const FORMATS: IssueFormat[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'];
const keyBinding = (r: Awaited<ReturnType<typeof verify>>) => r.checks.find((c) => c.check === 'keyBinding');

function awardBy(issuerId: string) {
  const issuer = defineIssuer({ id: issuerId, name: 'University of Tartu', country: 'EE' });
  return award(reiProgramme.parts[0]!, { issuer, learner: 'did:example:learner', grade: 'A', awardedOn: '2024-01-26' });
}

describe('an https-fragment key does not make anyone the https issuer', () => {
  // The attacker's own key, with the university's URL written before '#': generateKey does not check (it cannot).
  const attacker = generateKey({ controller: UT });
  const forged = awardBy(UT);

  for (const format of FORMATS) {
    it(`${format}: signed "as https://www.ut.ee/en" with a fragment key is NOT VERIFIED (KEY_UNCONFIRMED)`, async () => {
      const signed = await issue(forged, { key: attacker, format });
      const r = await verify(signed as object | string);
      expect(r.verified).toBe(false);
      expect(keyBinding(r)).toMatchObject({ status: 'fail', code: 'KEY_UNCONFIRMED' });
    });

    it(`${format}: the university's real controller document, which does not list the key, refutes it`, async () => {
      const signed = await issue(forged, { key: attacker, format });
      const real = generateKey({ controller: UT });
      const asked: string[] = [];
      const controllerDocument = {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: UT,
        verificationMethod: [
          { id: real.id, type: 'Multikey', controller: UT, publicKeyMultibase: real.publicKeyMultibase },
        ],
        assertionMethod: [real.id],
      };
      const r = await verify(signed as object | string, {
        resolveDocument: async (url) => (asked.push(url), controllerDocument),
        acceptUnconfirmedFragmentKeys: true,
      });
      expect(asked).toEqual([UT]);
      expect(r.verified).toBe(false);
      expect(r.checks.find((c) => c.check === 'proof')).toMatchObject({ status: 'fail', code: 'RESOLVER_ERROR' });
    });

    it(`${format}: a key the controller document lists is bound (the resolver is asked, not the fragment)`, async () => {
      const signed = await issue(forged, { key: attacker, format });
      const listing = {
        id: UT,
        verificationMethod: [
          { id: attacker.id, type: 'Multikey', controller: UT, publicKeyMultibase: attacker.publicKeyMultibase },
        ],
        assertionMethod: [attacker.id],
      };
      const r = await verify(signed as object | string, { resolveDocument: async () => listing });
      expect(keyBinding(r)).toMatchObject({ status: 'pass' });
      expect(r.verified, JSON.stringify(r.checks.filter((c) => c.status === 'fail'))).toBe(true);
    });
  }

  it('acceptUnconfirmedFragmentKeys (off by default) verifies it, but keyBinding says the identity is unconfirmed', async () => {
    const signed = await issue(forged, { key: attacker });
    const r = await verify(signed, { acceptUnconfirmedFragmentKeys: true });
    expect(r.verified).toBe(true);
    expect(keyBinding(r)).toMatchObject({
      status: 'warn',
      code: 'KEY_UNCONFIRMED',
      message: expect.stringMatching(/identity is unconfirmed/),
    });
  });

  it("microcred verify: the forgery is not the issuer's (exit 1); with the controller document that lists the key (--did-document), verified", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'binding-cli-'));
    try {
      const file = path.join(dir, 'forged.json');
      fs.writeFileSync(file, JSON.stringify(await issue(forged, { key: attacker })));
      const r = cli(['verify', file, '--offline', '--details']);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toMatch(
        /^✗ Signed, but not by the issuer it names[\s\S]*✗ keyBinding\s+The signature is valid, but nothing confirms that https:\/\/www\.ut\.ee\/en controls/,
      );
      const controller = path.join(dir, 'controller.json');
      fs.writeFileSync(
        controller,
        JSON.stringify({
          id: UT,
          verificationMethod: [
            { id: attacker.id, type: 'Multikey', controller: UT, publicKeyMultibase: attacker.publicKeyMultibase },
          ],
          assertionMethod: [attacker.id],
        }),
      );
      const listed = cli(['verify', file, '--offline', '--did-document', controller]);
      expect(listed.code, listed.stdout).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('createResolver never answers an https id from its fragment while a resolveDocument is there to ask', async () => {
    const asked: string[] = [];
    const resolve = createResolver({
      resolveDocument: async (url) => (asked.push(url), { id: UT, assertionMethod: [] }),
    });
    await expect(resolve(attacker.id)).rejects.toMatchObject({ code: 'RESOLVER_ERROR' });
    expect(asked).toEqual([UT]);
    await expect(createResolver()(attacker.id)).rejects.toMatchObject({ code: 'RESOLVER_ERROR' });
  });
});

describe('a VC-JWT header jwk counts only when the issuer is known to control it', () => {
  /** A VC-JWT with any header, signed with any key, the way an attacker would make it. */
  async function forgeJwt(
    payload: Record<string, unknown>,
    header: Record<string, unknown>,
    privateKey: Parameters<CompactSign['sign']>[0],
  ): Promise<string> {
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...header } as never)
      .sign(privateKey);
  }
  const payloadFor = (issuerId: string) => {
    const c = awardBy(issuerId) as unknown as Record<string, unknown>;
    return { ...c, iss: issuerId, jti: c.id, nbf: Math.floor(Date.parse(String(c.validFrom)) / 1000) };
  };

  it('did:key issuer, attacker key in the header jwk: NOT VERIFIED (KEY_BINDING_MISMATCH), not a warning', async () => {
    const victim = generateKey();
    const attacker = await generateJwtKey('EdDSA');
    const jwt = await forgeJwt(payloadFor(victim.controller), { jwk: attacker.publicJwk }, attacker.privateKey!);
    const r = await verify(jwt);
    expect(r.checks.find((c) => c.check === 'proof')?.status).toBe('pass'); // the signature itself is fine
    expect(keyBinding(r)).toMatchObject({ status: 'fail', code: 'KEY_BINDING_MISMATCH' });
    expect(r.verified).toBe(false);
  });

  it("the issuer's own did:key in the header jwk is bound (locally, no resolver)", async () => {
    const issuerKey = generateKey();
    const signed = await signJwt(payloadFor(issuerKey.controller), {
      key: await jwtKeyFromEd25519(issuerKey),
      header: 'jwk',
    });
    const r = await verify(signed);
    expect(keyBinding(r)).toMatchObject({ status: 'pass' });
    expect(r.verified).toBe(true);
  });

  it("the issuer's real kid plus an attacker jwk: the jwk is never used", async () => {
    // https issuer with a JWKS (the kid is in it).
    const real = await generateJwtKey('EdDSA', { kid: `${UT}#key-1` });
    const attacker = await generateJwtKey('EdDSA');
    const jwt = await forgeJwt(payloadFor(UT), { kid: real.kid, jwk: attacker.publicJwk }, attacker.privateKey!);
    const withJwks = await verify(jwt, { jwks: exportJwks([real]) });
    expect(withJwks.verified).toBe(false);
    expect(withJwks.checks.find((c) => c.check === 'proof')?.status).toBe('fail');
    // Without the JWKS: the kid cannot be resolved, and the jwk is not a fallback.
    const without = await verify(jwt);
    expect(without.verified).toBe(false);
    expect(without.checks.find((c) => c.check === 'proof')).toMatchObject({ status: 'fail', code: 'RESOLVER_ERROR' });
    // did:key issuer, its real DID URL as kid, attacker jwk and signature.
    const victim = generateKey();
    const jwt2 = await forgeJwt(
      payloadFor(victim.controller),
      { kid: victim.id, jwk: attacker.publicJwk },
      attacker.privateKey!,
    );
    const r2 = await verify(jwt2);
    expect(r2.verified).toBe(false);
    expect(r2.checks.find((c) => c.check === 'proof')?.status).toBe('fail');
  });

  it("a header jwk for an https or did:web issuer: bound only when the issuer's document lists it; otherwise it fails", async () => {
    const did = 'did:web:ut.example';
    const issuerKey = generateKey({ controller: did });
    const signed = await signJwt(payloadFor(did), { key: await jwtKeyFromEd25519(issuerKey), header: 'jwk' });
    const listed = await verify(signed, {
      resolveDocument: async (url) => (url === didWebUrl(did) ? didWebDocument(issuerKey, did) : undefined),
    });
    expect(keyBinding(listed)).toMatchObject({ status: 'pass' });
    expect(listed.verified).toBe(true);
    const attacker = generateKey({ controller: did });
    const forged = await signJwt(payloadFor(did), { key: await jwtKeyFromEd25519(attacker), header: 'jwk' });
    const notListed = await verify(forged, { resolveDocument: async () => didWebDocument(issuerKey, did) });
    expect(keyBinding(notListed)).toMatchObject({ status: 'fail', code: 'KEY_BINDING_MISMATCH' });
    expect(notListed.verified).toBe(false);
    // No way to ask: unconfirmed, which fails by default.
    const unknown = await verify(forged);
    expect(keyBinding(unknown)).toMatchObject({ status: 'fail', code: 'KEY_UNCONFIRMED' });
    expect(unknown.verified).toBe(false);
    // A did:key document is what did:key issuers are compared with.
    expect(didKeyDocument(attacker.publicKeyMultibase).assertionMethod).toHaveLength(1);
  });
});
