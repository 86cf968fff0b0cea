import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { generateKey, issue, jwtKeyFromEd25519, verify } from '../src';
import { signJwtPayload } from '../src/entries/proof';

const key = generateKey();
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:7d1e8c2a-0000-4000-8000-000000000001',
  type: ['VerifiableCredential'],
  issuer: key.controller,
  validFrom: '2024-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner', name: 'A learner' },
};
const envelope = (jwt: string, mediaType = 'application/vc+jwt') => ({
  '@context': 'https://www.w3.org/ns/credentials/v2',
  type: 'EnvelopedVerifiableCredential',
  id: `data:${mediaType},${jwt}`,
});

describe('enveloped credentials (VC-JOSE-COSE vc+jwt)', () => {
  it('issues a vc+jwt: typ vc+jwt, cty vc, the payload is the credential itself (no vc claim)', async () => {
    const jwt = await issue(credential, { key, format: 'vc+jwt' });
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: key.id });
    const payload = decodeJwt(jwt);
    expect(payload.vc).toBeUndefined();
    expect(payload).toMatchObject({ ...credential, iss: key.controller });
  });

  it('verifies a bare vc+jwt and an EnvelopedVerifiableCredential holding it', async () => {
    const jwt = await issue(credential, { key, format: 'vc+jwt' });
    const bare = await verify(jwt);
    expect(bare.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(bare.checks[0]!.message).toMatch(/vc\+jwt/);
    const wrapped = await verify(envelope(jwt));
    expect(wrapped.verified).toBe(true);
    expect(wrapped.credential).toMatchObject({ id: credential.id });
    // The media type the VC DM 2.0 test suite and VC-JOSE-COSE drafts used.
    expect((await verify(envelope(jwt, 'application/vc-ld+jwt'))).verified).toBe(true);
  });

  it('fails an envelope whose JWS was tampered with, or that is not a vc+jwt data: URL', async () => {
    const jwt = await issue(credential, { key, format: 'vc+jwt' });
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.credentialSubject.name = 'Someone else';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const forgedReport = await verify(envelope(forged));
    expect(forgedReport.verified).toBe(false);
    expect(forgedReport.checks.find((c) => c.check === 'proof')).toMatchObject({
      status: 'fail',
      code: 'INVALID_SIGNATURE',
    });
    for (const bad of [
      { type: 'EnvelopedVerifiableCredential' },
      { type: 'EnvelopedVerifiableCredential', id: 'https://example.org/vc' },
      envelope(jwt, 'application/vc+sd-jwt'),
      {
        type: 'EnvelopedVerifiableCredential',
        id: `data:application/vc+jwt;base64,${Buffer.from(jwt).toString('base64')}`,
      },
    ]) {
      const report = await verify(bad);
      expect(report.verified).toBe(false);
      expect(report.checks[0]).toMatchObject({ check: 'parse', status: 'fail', code: 'INVALID_INPUT' });
    }
  });

  it('issue 19: an envelope with no @context, an empty one, or another context first is refused (VC DM 2.0 §4.13)', async () => {
    const jwt = await issue(credential, { key, format: 'vc+jwt' });
    const good = envelope(jwt);
    expect((await verify(good)).verified).toBe(true);
    const { '@context': _c, ...noContext } = good;
    void _c;
    for (const bad of [
      noContext,
      { ...good, '@context': [] },
      { ...good, '@context': ['https://attacker.example/context'] },
      { ...good, '@context': ['https://www.w3.org/2018/credentials/v1'] },
    ]) {
      const report = await verify(bad);
      expect(report.verified).toBe(false);
      expect(report.checks[0]).toMatchObject({ check: 'parse', status: 'fail' });
      expect(report.checks[0]!.message).toMatch(
        /@context whose first entry is https:\/\/www\.w3\.org\/ns\/credentials\/v2/,
      );
    }
  });

  it('refuses a vc+jwt that carries a vc claim or a wrong cty (VC-JOSE-COSE §3.1)', async () => {
    const jwtKey = await jwtKeyFromEd25519(key);
    const withVcClaim = await signJwtPayload({ ...credential, vc: credential }, { typ: 'vc+jwt' }, { key: jwtKey });
    const r1 = await verify(withVcClaim);
    expect(r1.verified).toBe(false);
    expect(r1.checks.find((c) => c.check === 'proof')).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/must not carry a vc or vp claim/),
    });
    const wrongCty = await signJwtPayload({ ...credential }, { typ: 'vc+jwt', cty: 'vp' }, { key: jwtKey });
    const r2 = await verify(wrongCty);
    expect(r2.verified).toBe(false);
    expect(r2.checks.find((c) => c.status === 'fail')).toMatchObject({ check: 'proof', code: 'INVALID_INPUT' });
  });

  it('binds the vc+jwt key to the issuer as VC-JWT does', async () => {
    const other = generateKey();
    const jwt = await issue(
      { ...credential, issuer: other.controller },
      { key, format: 'vc+jwt', allowForeignController: true },
    );
    const report = await verify(jwt);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.check === 'keyBinding')).toMatchObject({
      status: 'fail',
      code: 'KEY_BINDING_MISMATCH',
    });
  });

  it('verify() says a presentation needs verifyPresentation', async () => {
    const report = await verify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: [],
    });
    expect(report.verified).toBe(false);
    expect(report.checks[0]).toMatchObject({
      check: 'parse',
      status: 'fail',
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/verifyPresentation/),
    });
  });
});

describe('verify() and VP-JWTs', () => {
  it('a VP-JWT given to verify() is recognised as a presentation', async () => {
    const { createPresentation, signPresentation } = await import('../src');
    const vpJwt = await signPresentation(createPresentation({ verifiableCredential: [], holder: key.controller }), {
      key,
      format: 'vp-jwt',
      challenge: 'x',
    });
    const report = await verify(vpJwt);
    expect(report.verified).toBe(false);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({
      check: 'parse',
      status: 'fail',
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/verify-presentation/),
    });
  });
});
