import { describe, expect, it } from 'vitest';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';
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
import { Bitstring, statusListEntry } from '../src/entries/status';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';
import { EU_MICROCREDENTIAL_TYPE_METADATA, EU_MICROCREDENTIAL_VCT } from '../src';

/**
 * Issue 26: the seed's course credentials as IETF SD-JWT VCs (dc+sd-jwt), verified by ours and by the OpenWallet
 * Foundation's SDJwtVcInstance, selective disclosure, key binding, and every refusal with its code.
 */

const edKey = generateKey();
const issuer = defineIssuer({
  id: edKey.controller,
  name: 'University of Tartu',
  country: 'EE',
  region: 'Tartu County',
});
const learner = sampleLearners[0].learner;
const courses = reiProgramme.parts.map((part, i) =>
  award(part, { issuer, learner, grade: i < 3 ? 'A' : 'pass', awardedOn: '2024-06-10' }),
);
const NOW = new Date('2025-01-01T00:00:00Z');

const codeOf = (report: VerificationReport, check?: string): ErrorCode | undefined =>
  report.checks.find((c) => c.status === 'fail' && (!check || c.check === check))?.code;
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

async function holder() {
  const key = await generateJwtKey('ES256');
  return { key, jwk: await exportJWK(key.publicKey as CryptoKey) };
}

describe('SD-JWT VC: the seed courses', () => {
  it('issues every course as a dc+sd-jwt that our verify() accepts, with the EU elements read', async () => {
    for (const course of courses) {
      const sdJwt = await issue(course, { key: edKey, format: 'dc+sd-jwt' });
      expect(JSON.parse(unb64(sdJwt.split('.')[0]!))).toMatchObject({ typ: 'dc+sd-jwt', alg: 'EdDSA' });
      const report = await verify(sdJwt, { now: NOW });
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.format).toBe('dc+sd-jwt');
      expect(report.euElements?.title).toBe(course.credentialSubject.achievement.name);
      expect(report.euElements?.grade?.value).toBeDefined();
      expect(report.euElements?.workload.ects).toBe(course.credentialSubject.achievement.creditsAvailable);
      expect(report.euElements?.missingMandatory).toEqual([]);
      expect(report.sdJwt?.withheld).toEqual(expect.not.arrayContaining(['grade', 'title']));
    }
  });
});

describe('SD-JWT VC: interop with the OpenWallet Foundation packages', () => {
  it('our SD-JWT VCs (EdDSA and ES256, with status and type metadata) verify in its SDJwtVcInstance', async () => {
    const { importJWK } = await import('jose');
    const edPublic = (await importJWK(edKey.toPublicJwk(), 'EdDSA')) as CryptoKey;
    const es = await generateJwtKey('ES256', { kid: 'https://issuer.example/keys#es' });
    for (const [key, pub, alg] of [
      [edKey, edPublic, 'EdDSA'],
      [es, es.publicKey as CryptoKey, 'ES256'],
    ] as const) {
      const sdJwt = await issue(courses[0]!, { key, format: 'dc+sd-jwt', allowForeignController: true });
      const owf = new SDJwtVcInstance({
        hasher: digest,
        verifier: async (data, sig) =>
          crypto.subtle.verify(
            alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' },
            pub,
            Buffer.from(sig, 'base64url'),
            new TextEncoder().encode(data),
          ),
        loadTypeMetadataFormat: true,
        vctFetcher: async (vct) =>
          vct === EU_MICROCREDENTIAL_VCT ? (EU_MICROCREDENTIAL_TYPE_METADATA as never) : undefined,
      });
      const result = await owf.verify(sdJwt);
      expect(result.payload).toMatchObject({
        vct: EU_MICROCREDENTIAL_VCT,
        title: 'Critical thinking and argumentation',
        grade: { value: 'A' },
      });
      expect(
        (result as { typeMetadata?: { mergedTypeMetadata: { vct: string } } }).typeMetadata?.mergedTypeMetadata.vct,
      ).toBe(EU_MICROCREDENTIAL_VCT);
    }
  });

  it('its SD-JWT VCs (ES256, its own disclosure frame, with a KB-JWT) verify in ours', async () => {
    const { signer, verifier, privateKey, publicKey } = await (async () => {
      const pair = await ES256.generateKeyPair();
      return {
        signer: await ES256.getSigner(pair.privateKey),
        verifier: await ES256.getVerifier(pair.publicKey),
        ...pair,
      };
    })();
    void verifier;
    void privateKey;
    const h = await holder();
    const owf = new SDJwtVcInstance({
      signer,
      signAlg: 'ES256',
      hasher: digest,
      hashAlg: 'sha-256',
      saltGenerator: generateSalt,
      kbSigner: async (data) => {
        const sig = await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          h.key.privateKey as CryptoKey,
          new TextEncoder().encode(data),
        );
        return Buffer.from(sig).toString('base64url');
      },
      kbSignAlg: 'ES256',
    });
    const iss = 'https://owf-issuer.example';
    const credential = await owf.issue(
      {
        iss,
        iat: Math.floor(NOW.getTime() / 1000) - 60,
        vct: 'https://example.com/identity',
        cnf: { jwk: h.jwk },
        given_name: 'Mari',
        family_name: 'Maasikas',
        nationalities: ['EE', 'FI'],
      },
      { _sd: ['given_name', 'family_name'], nationalities: { _sd: [0, 1] } } as never,
      { header: { kid: `${iss}#key-1` } },
    );
    const jwks = { keys: [{ ...publicKey, kid: `${iss}#key-1`, alg: 'ES256' } as Record<string, unknown>] };
    const issued = await verify(credential, { now: NOW, jwks });
    expect(issued.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(issued.credential).toMatchObject({
      given_name: 'Mari',
      family_name: 'Maasikas',
      nationalities: ['EE', 'FI'],
    });

    const presentation = await owf.present(
      credential,
      { given_name: true },
      { kb: { payload: { iat: Math.floor(NOW.getTime() / 1000), aud: 'https://employer.example', nonce: 'n-123' } } },
    );
    const report = await verify(presentation, {
      now: NOW,
      jwks,
      keyBinding: { nonce: 'n-123', audience: 'https://employer.example' },
    });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.checks.find((c) => c.check === 'holderBinding')?.status).toBe('pass');
    expect(report.credential).toMatchObject({ given_name: 'Mari' });
    expect(report.credential).not.toHaveProperty('family_name');
  });
});

describe('SD-JWT VC: selective disclosure and key binding', () => {
  it('a presentation that withholds the grade still verifies, and the report shows no grade', async () => {
    const h = await holder();
    const sdJwt = await issue(courses[0]!, { key: edKey, format: 'dc+sd-jwt', holderKey: h.jwk });
    const shown = await presentSdJwt(sdJwt, {
      disclose: ['title', 'workload', 'level', 'learner.identifiers[1]'],
      holderKey: h.key,
      nonce: 'n-1',
      audience: 'https://employer.example',
      issuedAt: NOW,
    });
    const report = await verify(shown, {
      now: NOW,
      keyBinding: { nonce: 'n-1', audience: 'https://employer.example' },
    });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.euElements?.grade).toBeUndefined();
    expect(report.euElements?.title).toBe('Critical thinking and argumentation');
    // Mari's name is a hashed identifier: she shows it without her e-mail's.
    expect(report.euElements?.learner.identifiers.map((i) => i.identityType)).toEqual(['name']);
    expect(report.credential).not.toHaveProperty('grade');
    expect(report.sdJwt?.withheld).toContain('grade');
    expect(report.sdJwt?.disclosed).toEqual(
      expect.arrayContaining(['$.title', '$.learner', '$.learner.identifiers', '$.learner.identifiers[0]']),
    );
    expect(report.sdJwt?.keyBinding).toBe('presented');
  });

  it('the learner identifiers are disclosable one by one, among decoys', async () => {
    const jaan = sampleLearners[2].learner;
    const c = award(reiProgramme.parts[0]!, { issuer, learner: jaan, grade: 'B', awardedOn: '2024-01-20' });
    const sdJwt = await issue(c, { key: edKey, format: 'dc+sd-jwt' });
    const shown = await presentSdJwt(sdJwt, { disclose: ['learner.identifiers[1]'] });
    const report = await verify(shown, { now: NOW });
    expect(report.verified).toBe(true);
    expect(report.euElements?.learner.identifiers.map((i) => i.identityType)).toEqual(['sisSourcedId']);
    // 2 decoys among the identifiers + 1 withheld identifier, 2 top-level decoys + every other top-level claim
    expect(report.sdJwt?.undisclosedDigests).toBeGreaterThan(4);
  });

  it('a KB-JWT with the wrong nonce, audience or sd_hash, or none when asked for, is refused with its code', async () => {
    const h = await holder();
    const sdJwt = await issue(courses[1]!, { key: edKey, format: 'dc+sd-jwt', holderKey: h.jwk });
    const shown = await presentSdJwt(sdJwt, {
      disclose: ['title'],
      holderKey: h.key,
      nonce: 'n-1',
      audience: 'https://employer.example',
      issuedAt: NOW,
    });
    const expectOk = { now: NOW, keyBinding: { nonce: 'n-1', audience: 'https://employer.example' } };
    expect((await verify(shown, expectOk)).verified).toBe(true);
    expect(
      codeOf(
        await verify(shown, { ...expectOk, keyBinding: { nonce: 'n-2', audience: 'https://employer.example' } }),
        'holderBinding',
      ),
    ).toBe('CHALLENGE_MISMATCH');
    expect(
      codeOf(
        await verify(shown, { ...expectOk, keyBinding: { nonce: 'n-1', audience: 'https://other.example' } }),
        'holderBinding',
      ),
    ).toBe('DOMAIN_MISMATCH');
    expect(codeOf(await verify(shown, { ...expectOk, now: new Date(NOW.getTime() + 3600_000) }), 'holderBinding')).toBe(
      'STALE_PRESENTATION',
    );
    // The KB-JWT moved onto a presentation with more disclosures: its sd_hash is for the other one.
    const more = await presentSdJwt(sdJwt, { disclose: ['title', 'grade'] });
    const kb = shown.slice(shown.lastIndexOf('~') + 1);
    expect(codeOf(await verify(more + kb, expectOk), 'holderBinding')).toBe('SD_HASH_MISMATCH');
    // Without the KB-JWT while the verifier asks for one.
    expect(codeOf(await verify(shown.slice(0, shown.lastIndexOf('~') + 1), expectOk), 'holderBinding')).toBe(
      'KEY_BINDING_JWT_MISSING',
    );
    // Signed by another key than cnf's.
    const stranger = await holder();
    const forged = await presentSdJwt(sdJwt, {
      disclose: ['title'],
      holderKey: stranger.key,
      nonce: 'n-1',
      audience: 'https://employer.example',
      issuedAt: NOW,
    });
    expect(codeOf(await verify(forged, expectOk), 'holderBinding')).toBe('HOLDER_BINDING_MISMATCH');
  });
});

describe('SD-JWT VC: refusals (attacker-made inputs)', () => {
  const issued = issue(courses[0]!, { key: edKey, format: 'dc+sd-jwt' });
  const partsOf = async () => {
    const all = (await issued).split('~');
    return { jwt: all[0]!, disclosures: all.slice(1, -1) };
  };
  const gradeIndex = (disclosures: string[]) => disclosures.findIndex((d) => JSON.parse(unb64(d))[1] === 'grade');

  it('a tampered disclosure (the grade changed) is refused: DISCLOSURE_UNREFERENCED', async () => {
    const { jwt, disclosures } = await partsOf();
    const i = gradeIndex(disclosures);
    const [salt, name, value] = JSON.parse(unb64(disclosures[i]!));
    disclosures[i] = b64(JSON.stringify([salt, name, { ...value, value: 'A+' }]));
    const report = await verify(`${jwt}~${disclosures.join('~')}~`, { now: NOW });
    expect(report.verified).toBe(false);
    expect(codeOf(report)).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('a disclosure from another credential is refused: DISCLOSURE_UNREFERENCED', async () => {
    const { jwt, disclosures } = await partsOf();
    const other = (await issue(courses[1]!, { key: edKey, format: 'dc+sd-jwt' })).split('~');
    const report = await verify(`${jwt}~${[...disclosures, other[1]!].join('~')}~`, { now: NOW });
    expect(codeOf(report)).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('a repeated disclosure is refused: DISCLOSURE_REPEATED', async () => {
    const { jwt, disclosures } = await partsOf();
    const report = await verify(`${jwt}~${[...disclosures, disclosures[0]!].join('~')}~`, { now: NOW });
    expect(codeOf(report)).toBe('DISCLOSURE_REPEATED');
  });

  it('a malformed disclosure (not an array, a reserved name, a duplicate JSON key) is refused: DISCLOSURE_MALFORMED', async () => {
    const { jwt, disclosures } = await partsOf();
    for (const bad of [b64('{"a":1}'), b64('["salt","_sd",1]'), b64('["salt","x",{"a":1,"a":2}]'), 'not*base64']) {
      const report = await verify(`${jwt}~${[...disclosures, bad].join('~')}~`, { now: NOW });
      expect(codeOf(report), bad).toBe('DISCLOSURE_MALFORMED');
    }
  });

  it('an issuer JWT with an unknown _sd_alg, or a digest named twice, is refused with its code', async () => {
    const es = await generateJwtKey('ES256', { kid: 'k' });
    // Hand-signed: @sd-jwt's issue() writes _sd_alg itself, and never twice the same digest.
    const sign = async (payload: Record<string, unknown>) =>
      `${await signJwtPayload(payload, { typ: 'dc+sd-jwt' }, { key: es })}~`;
    const jwks = { keys: [{ ...es.publicJwk, kid: 'k' } as Record<string, unknown>] };
    const base = { iss: 'https://x.example', vct: 'https://x.example/t' };
    expect(codeOf(await verify(await sign({ ...base, _sd_alg: 'md5', _sd: [] }), { now: NOW, jwks }))).toBe(
      'SD_ALG_UNSUPPORTED',
    );
    const d = b64(JSON.stringify(['salt', 'name', 'Mari']));
    const { createHash } = await import('node:crypto');
    const dg = createHash('sha256').update(d).digest('base64url');
    const twice = (await sign({ ...base, _sd: [dg, dg] })).replace(/~$/, `~${d}~`);
    expect(codeOf(await verify(twice, { now: NOW, jwks }))).toBe('DISCLOSURE_REPEATED');
    // The same digest both at the top level and inside an array.
    const nested = (await sign({ ...base, _sd: [dg], list: [{ '...': dg }] })).replace(/~$/, `~${d}~`);
    expect(codeOf(await verify(nested, { now: NOW, jwks }))).toBe('DISCLOSURE_REPEATED');
    // A registered claim the verifier reads from the signed payload, disclosed instead (a validity the issuer never gave).
    const exp = b64(JSON.stringify(['salt', 'exp', 4102444800]));
    const expDigest = createHash('sha256').update(exp).digest('base64url');
    expect(
      codeOf(await verify((await sign({ ...base, _sd: [expDigest] })).replace(/~$/, `~${exp}~`), { now: NOW, jwks })),
    ).toBe('DISCLOSURE_MALFORMED');
    // A VC-JWT (typ JWT) passed off as an SD-JWT: the issuer signed something else.
    expect((await verify(await sign(base), { now: NOW, jwks })).verified).toBe(true);
    const vcJwt = `${await signJwtPayload(base, { typ: 'JWT' }, { key: es })}~`;
    expect(codeOf(await verify(vcJwt, { now: NOW, jwks }), 'proof')).toBe('INVALID_INPUT');
  });

  it('a disclosure cannot be re-signed by someone else: an SD-JWT signed by a key the issuer does not control fails key binding', async () => {
    const mallory = await generateJwtKey('ES256');
    const sdJwt = await issue(courses[0]!, { key: mallory, format: 'dc+sd-jwt', jwtHeader: 'jwk' });
    const report = await verify(sdJwt, { now: NOW });
    expect(report.verified).toBe(false);
    expect(codeOf(report, 'keyBinding')).toBe('KEY_BINDING_MISMATCH');
  });

  it('a changed issuer-signed payload is refused: INVALID_SIGNATURE', async () => {
    const { jwt, disclosures } = await partsOf();
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(unb64(p!));
    payload.exp = 4102444800;
    const report = await verify(`${h}.${b64(JSON.stringify(payload))}.${s}~${disclosures.join('~')}~`, { now: NOW });
    expect(codeOf(report, 'proof')).toBe('INVALID_SIGNATURE');
  });
});

describe('SD-JWT VC: revocation through the IETF Token Status List', () => {
  const LIST = 'https://status.example/revocation/1';
  const withStatus = (index: number) =>
    award(reiProgramme.parts[0]!, {
      issuer,
      learner,
      grade: 'A',
      awardedOn: '2024-06-10',
      credentialStatus: statusListEntry({ listCredentialId: LIST, index, purpose: 'revocation' }) as never,
    });
  const bitsWith = (...revoked: number[]) => {
    const b = new Bitstring();
    for (const i of revoked) b.set(i, true);
    return b.bytes;
  };

  it('the status entry maps to status.status_list (idx, uri) and a revoked entry fails: REVOKED; a valid one passes', async () => {
    const jwtKey = await jwtKeyFromEd25519(edKey);
    const token = await signTokenStatusList(bitsWith(5, 130000), {
      key: jwtKey,
      uri: tokenStatusListUri(LIST),
      issuer: edKey.controller,
      issuedAt: NOW,
    });
    const fetchStatusList = async (url: string) =>
      url === tokenStatusListUri(LIST) ? token : Promise.reject(new Error('404'));
    const revoked = await issue(withStatus(5), { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() });
    expect(JSON.parse(unb64(revoked.split('.')[1]!)).status).toEqual({ status_list: { idx: 5, uri: `${LIST}.jwt` } });
    expect(codeOf(await verify(revoked, { now: NOW, fetchStatusList }), 'status')).toBe('REVOKED');
    const valid = await issue(withStatus(6), { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() });
    expect((await verify(valid, { now: NOW, fetchStatusList })).verified).toBe(true);
    expect(
      codeOf(
        await verify(await issue(withStatus(130000), { key: edKey, format: 'dc+sd-jwt' }), {
          now: NOW,
          fetchStatusList,
        }),
        'status',
      ),
    ).toBe('REVOKED');
    // No fetcher: not checked, so not verified (unless the caller opts out).
    expect(codeOf(await verify(valid, { now: NOW }), 'status')).toBe('STATUS_UNCHECKED');
    expect((await verify(valid, { now: NOW, statusCheck: 'optional' })).verified).toBe(true);

    // The OWF verifier reads the same token list the same way.
    const { importJWK } = await import('jose');
    const pub = (await importJWK(edKey.toPublicJwk(), 'EdDSA')) as CryptoKey;
    const owf = new SDJwtVcInstance({
      hasher: digest,
      statusListFetcher: fetchStatusList,
      verifier: async (data, sig) =>
        crypto.subtle.verify({ name: 'Ed25519' }, pub, Buffer.from(sig, 'base64url'), new TextEncoder().encode(data)),
    });
    const at = { currentDate: Math.floor(NOW.getTime() / 1000) };
    await expect(owf.verify(valid, at)).resolves.toBeDefined();
    await expect(owf.verify(revoked, at)).rejects.toThrow(/[Ss]tatus/);
  });

  it('a suspension entry maps to a 2-bit token list: SUSPENDED for a set entry, valid again once cleared', async () => {
    const SUSPENSIONS = 'https://status.example/suspension/1';
    const suspendable = (index: number) =>
      award(reiProgramme.parts[0]!, {
        issuer,
        learner,
        grade: 'A',
        awardedOn: '2024-06-10',
        credentialStatus: statusListEntry({ listCredentialId: SUSPENSIONS, index, purpose: 'suspension' }) as never,
      });
    const jwtKey = await jwtKeyFromEd25519(edKey);
    const tokenOf = (bits: Uint8Array) =>
      signTokenStatusList(bits, {
        key: jwtKey,
        uri: tokenStatusListUri(SUSPENSIONS),
        issuer: edKey.controller,
        issuedAt: NOW,
        statusPurpose: 'suspension',
      });
    const suspended = await tokenOf(bitsWith(0, 7, 8, 131071));
    const claims = JSON.parse(unb64(suspended.split('.')[1]!)) as { status_list: { bits: number } };
    expect(claims.status_list.bits).toBe(2);
    const fetchFrom = (token: string) => async (url: string) =>
      url === tokenStatusListUri(SUSPENSIONS) ? token : Promise.reject(new Error('404'));
    for (const [index, code] of [
      [0, 'SUSPENDED'],
      [7, 'SUSPENDED'],
      [8, 'SUSPENDED'],
      [131071, 'SUSPENDED'],
      [1, undefined],
      [6, undefined],
      [9, undefined],
      [131070, undefined],
    ] as const) {
      const vc = await issue(suspendable(index), { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() });
      expect(JSON.parse(unb64(vc.split('.')[1]!)).status).toEqual({
        status_list: { idx: index, uri: `${SUSPENSIONS}.jwt` },
      });
      const report = await verify(vc, { now: NOW, fetchStatusList: fetchFrom(suspended) });
      expect([index, codeOf(report, 'status')]).toEqual([index, code]);
    }
    // Reinstated: the next list clears the entry, and the same credential verifies again (a revocation never would).
    const vc = await issue(suspendable(7), { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() });
    expect((await verify(vc, { now: NOW, fetchStatusList: fetchFrom(await tokenOf(bitsWith(0))) })).verified).toBe(
      true,
    );
    // The OWF verifier reads the 2-bit list the same way.
    const { importJWK } = await import('jose');
    const pub = (await importJWK(edKey.toPublicJwk(), 'EdDSA')) as CryptoKey;
    const owf = new SDJwtVcInstance({
      hasher: digest,
      statusListFetcher: fetchFrom(suspended),
      statusValidator: async (status: number) => {
        if (status !== 0) throw new Error(`Status is not valid: ${status}`);
      },
      verifier: async (data, sig) =>
        crypto.subtle.verify({ name: 'Ed25519' }, pub, Buffer.from(sig, 'base64url'), new TextEncoder().encode(data)),
    });
    const at = { currentDate: Math.floor(NOW.getTime() / 1000) };
    await expect(owf.verify(vc, at)).rejects.toThrow(/Status is not valid: 2/);
    const other = await issue(suspendable(6), { key: edKey, format: 'dc+sd-jwt', created: NOW.toISOString() });
    await expect(owf.verify(other, at)).resolves.toBeDefined();
  });

  it('a status list signed by someone else, for another URL, or expired is refused', async () => {
    const jwtKey = await jwtKeyFromEd25519(edKey);
    const valid = await issue(withStatus(6), { key: edKey, format: 'dc+sd-jwt' });
    const mallory = await generateJwtKey('ES256');
    const forged = await signTokenStatusList(bitsWith(), {
      key: mallory,
      uri: tokenStatusListUri(LIST),
      issuer: edKey.controller,
      jwtHeader: 'jwk',
    });
    expect(codeOf(await verify(valid, { now: NOW, fetchStatusList: async () => forged }), 'status')).toBe(
      'STATUS_LIST_INVALID',
    );
    const elsewhere = await signTokenStatusList(bitsWith(), {
      key: jwtKey,
      uri: 'https://status.example/other.jwt',
      issuer: edKey.controller,
      issuedAt: NOW,
    });
    expect(codeOf(await verify(valid, { now: NOW, fetchStatusList: async () => elsewhere }), 'status')).toBe(
      'STATUS_LIST_INVALID',
    );
    const old = await signTokenStatusList(bitsWith(), {
      key: jwtKey,
      uri: tokenStatusListUri(LIST),
      issuer: edKey.controller,
      issuedAt: new Date(NOW.getTime() - 3 * 86400_000),
    });
    expect(codeOf(await verify(valid, { now: NOW, fetchStatusList: async () => old }), 'status')).toBe(
      'STATUS_LIST_EXPIRED',
    );
  });
});

describe('SD-JWT VC: issuer keys (ES256 on did:web, the EUDI case)', () => {
  const DID = 'did:web:ut.example';
  const docUrl = 'https://ut.example/.well-known/did.json';
  const didDoc = (jwk: Record<string, unknown>, listed = true) => ({
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: DID,
    verificationMethod: [{ id: `${DID}#es256`, type: 'JsonWebKey', controller: DID, publicKeyJwk: jwk }],
    assertionMethod: listed ? [`${DID}#es256`] : [],
  });

  it('an ES256 kid of a did:web issuer resolves through its document; an unlisted or foreign key is refused', async () => {
    const es = await generateJwtKey('ES256', { kid: `${DID}#es256` });
    const { kid: _k, ...pub } = es.publicJwk as Record<string, unknown>;
    void _k;
    const webIssuer = defineIssuer({ id: DID, name: 'University of Tartu', country: 'EE' });
    const course = award(reiProgramme.parts[0]!, { issuer: webIssuer, learner, grade: 'A', awardedOn: '2024-06-10' });
    const sdJwt = await issue(course, { key: es, format: 'dc+sd-jwt' });
    const resolveDocument = async (url: string) => (url === docUrl ? didDoc(pub) : Promise.reject(new Error('404')));
    const report = await verify(sdJwt, { now: NOW, resolveDocument });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.proofs).toEqual(['dc+sd-jwt/ES256']);
    // Without a resolver nothing is fetched, and nothing confirms the key.
    expect((await verify(sdJwt, { now: NOW })).verified).toBe(false);
    // The document does not list the key under assertionMethod.
    expect(codeOf(await verify(sdJwt, { now: NOW, resolveDocument: async () => didDoc(pub, false) }), 'proof')).toBe(
      'RESOLVER_ERROR',
    );
    // A key of another did:web signing for this issuer.
    const other = await generateJwtKey('ES256', { kid: 'did:web:evil.example#es256' });
    const forged = await issue(course, { key: other, format: 'dc+sd-jwt' });
    const evilDoc = {
      ...didDoc(other.publicJwk as Record<string, unknown>),
      id: 'did:web:evil.example',
      verificationMethod: [
        {
          id: 'did:web:evil.example#es256',
          type: 'JsonWebKey',
          controller: 'did:web:evil.example',
          publicKeyJwk: other.publicJwk,
        },
      ],
      assertionMethod: ['did:web:evil.example#es256'],
    };
    const both = async (url: string) =>
      url === docUrl
        ? didDoc(pub)
        : url === 'https://evil.example/.well-known/did.json'
          ? evilDoc
          : Promise.reject(new Error('404'));
    expect(codeOf(await verify(forged, { now: NOW, resolveDocument: both }), 'keyBinding')).toBe(
      'KEY_BINDING_MISMATCH',
    );
  });
});

describe('SD-JWT VC: delivery to a wallet key (the call an OpenID4VCI credential endpoint makes)', () => {
  it('the wallet proves its key, the credential is bound to it (cnf), and only that wallet can present it', async () => {
    const { SignJWT, jwtVerify, EmbeddedJWK } = await import('jose');
    const wallet = await holder();
    // The wallet's OpenID4VCI proof of possession: a JWT with its public key in the header, over the issuer's c_nonce.
    const proof = await new SignJWT({
      aud: 'https://ut.example',
      nonce: 'c-nonce-1',
      iat: Math.floor(Date.now() / 1000),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: wallet.jwk })
      .sign(wallet.key.privateKey as CryptoKey);
    const { protectedHeader, payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'openid4vci-proof+jwt',
      audience: 'https://ut.example',
    });
    expect(payload.nonce).toBe('c-nonce-1');
    const sdJwt = await issue(courses[0]!, { key: edKey, format: 'dc+sd-jwt', holderKey: protectedHeader.jwk! });
    expect(JSON.parse(unb64(sdJwt.split('.')[1]!)).cnf).toEqual({
      jwk: { kty: 'EC', crv: 'P-256', x: wallet.jwk.x, y: wallet.jwk.y },
    });

    const ask = { now: NOW, keyBinding: { nonce: 'vp-1', audience: 'https://hr.example' } };
    const shown = await presentSdJwt(sdJwt, {
      disclose: ['title', 'grade'],
      holderKey: wallet.key,
      nonce: 'vp-1',
      audience: 'https://hr.example',
      issuedAt: NOW,
    });
    const report = await verify(shown, ask);
    expect(report.verified).toBe(true);
    expect(report.checks.find((c) => c.check === 'holderBinding')?.status).toBe('pass');
    // The holder key is public: a private JWK is refused at issue.
    const privateJwk = await exportJWK(wallet.key.privateKey as CryptoKey);
    await expect(issue(courses[0]!, { key: edKey, format: 'dc+sd-jwt', holderKey: privateJwk })).rejects.toMatchObject({
      code: 'INVALID_KEY',
    });
  });
});

describe('SD-JWT VC: type metadata and validity', () => {
  it('the type metadata names and describes every claim of the claim set in English and Estonian', async () => {
    const { SD_JWT_CLAIMS } = await import('../src/proof/sd-jwt/claims');
    for (const { claim } of SD_JWT_CLAIMS) {
      const entry = EU_MICROCREDENTIAL_TYPE_METADATA.claims.find((c) => c.path.length === 1 && c.path[0] === claim);
      expect(entry, claim).toBeDefined();
      expect(entry!.display.map((d) => d.locale).sort(), claim).toEqual(['en', 'et']);
      expect(
        entry!.display.every((d) => d.label && d.description),
        claim,
      ).toBe(true);
      expect(entry!.sd, claim).toBe('always');
    }
    expect(EU_MICROCREDENTIAL_TYPE_METADATA.display.map((d) => d.locale)).toEqual(['en', 'et']);
  });

  it('an SD-JWT VC past its validUntil fails EXPIRED, before its validFrom NOT_YET_VALID', async () => {
    const course = { ...courses[0]!, validUntil: '2024-12-31T00:00:00Z' };
    const sdJwt = await issue(course, { key: edKey, format: 'dc+sd-jwt' });
    expect(codeOf(await verify(sdJwt, { now: NOW }), 'validity')).toBe('EXPIRED');
    expect(codeOf(await verify(sdJwt, { now: new Date('2024-01-01T00:00:00Z') }), 'validity')).toBe('NOT_YET_VALID');
    expect((await verify(sdJwt, { now: new Date('2024-07-01T00:00:00Z') })).verified).toBe(true);
  });
});

describe('SD-JWT VC: the verdict in plain words', () => {
  it("a trusted issuer's presentation is authentic without the grade; a tampered disclosure reads as tampered", async () => {
    const { parseTrustSource } = await import('../src');
    const trust = { sources: [parseTrustSource([edKey.controller], { name: 'the Estonian list' })] };
    const sdJwt = await issue(courses[0]!, { key: edKey, format: 'dc+sd-jwt' });
    const shown = await presentSdJwt(sdJwt, { disclose: ['title', 'workload'] });
    const report = await verify(shown, { now: NOW, trust });
    expect(report.verdict.outcome).toBe('authentic');
    expect(report.verdict.title).toBe('Critical thinking and argumentation');
    expect(report.verdict.grade).toBeUndefined();
    expect(report.checks.find((c) => c.check === 'issuerIdentity')?.status).toBe('pass');
    expect((await verify(shown, { now: NOW })).verdict.outcome).toBe('authentic-unconfirmed');
    // The awarding body here is the university's web identity, not the issuer: the issuer is its DID, unnamed.
    expect((await verify(sdJwt, { now: NOW })).verdict.issuer).toEqual({ id: edKey.controller, confirmed: false });
    // A credential the issuer awards itself lists it as the awarding body: not confirmed, it is named as it names
    // itself; with that claim withheld it is unnamed again, never named by another claim.
    const own = structuredClone(courses[0]!) as unknown as {
      issuer: unknown;
      credentialSubject: { achievement: Record<string, unknown> };
    };
    own.credentialSubject.achievement.awardingBody = [own.issuer];
    const ownSdJwt = await issue(own, { key: edKey, format: 'dc+sd-jwt' });
    const unconfirmed = (await verify(ownSdJwt, { now: NOW })).verdict;
    expect(unconfirmed.issuer).toEqual({ id: edKey.controller, name: 'University of Tartu', confirmed: false });
    expect(unconfirmed.headline).toContain('University of Tartu');
    const withheld = await presentSdJwt(ownSdJwt, { disclose: ['title'] });
    expect((await verify(withheld, { now: NOW })).verdict.issuer).toEqual({ id: edKey.controller, confirmed: false });

    const all = sdJwt.split('~');
    const i = all.findIndex((d, n) => n > 0 && d && JSON.parse(unb64(d))[1] === 'grade');
    const [salt, name, value] = JSON.parse(unb64(all[i]!));
    all[i] = b64(JSON.stringify([salt, name, { ...value, value: 'A+' }]));
    const tampered = await verify(all.join('~'), { now: NOW, trust });
    expect(tampered.verdict.outcome).toBe('tampered');
    expect(tampered.verdict.grade).toBeUndefined();
  });
});
