/**
 * Red team: the holder attacks verifyPresentation. Each test is an attack; the ones marked "hole" failed before the
 * fix named in their commit, the rest held and stay here so that they keep holding.
 */
import { describe, expect, it } from 'vitest';
import { cpuTime } from './helpers/cpu-time';
import fc from 'fast-check';
import {
  createPresentation,
  jwtKeyFromEd25519,
  didWebDocument,
  didWebUrl,
  generateKey,
  issue,
  signPresentation,
  verifyPresentation,
  type Ed25519Key,
} from '../src';
import { signJwtPayload } from '../src/entries/proof';

const issuerKey = generateKey();
const learnerKey = generateKey();
const challenge = 'nonce-4711';
const domain = 'https://hr.example.com';
const NOW = new Date('2026-03-01T12:00:00Z');
const created = '2026-03-01T11:58:00Z';
const issued = '2026-02-01T09:00:00Z';
const V2 = 'https://www.w3.org/ns/credentials/v2';

function credentialFor(subject: unknown) {
  return {
    '@context': [V2],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer: issuerKey.controller,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: subject,
  };
}
const vc = () =>
  issue(credentialFor({ id: learnerKey.controller, name: 'Data literacy' }), { key: issuerKey, created: issued });
const codes = (r: { checks: { status: string; code?: string }[] }) =>
  r.checks.filter((c) => c.status === 'fail').map((c) => c.code);

async function jwtKey(key: Ed25519Key) {
  return jwtKeyFromEd25519(key);
}

describe('red team: holder binding of a presentation', () => {
  it('hole: a did:web holder key listed only under assertionMethod does not authenticate a presentation; one under authentication does', async () => {
    const did = 'did:web:wallet.example';
    const key = generateKey({ controller: did });
    const doc = didWebDocument(key, did) as unknown as Record<string, unknown>;
    for (const format of ['eddsa-rdfc-2022', 'vp-jwt'] as const) {
      const vp = await signPresentation(createPresentation({ verifiableCredential: [await vc()], holder: did }), {
        key,
        challenge,
        created,
        format,
      });
      const onlyAssertion = { ...doc, authentication: [] };
      const onlyAuthentication = { ...doc, assertionMethod: [] };
      const serve = (d: unknown) => async (url: string) => (url === didWebUrl(did) ? d : undefined);
      const refused = await verifyPresentation(vp, { challenge, now: NOW, resolveDocument: serve(onlyAssertion) });
      expect(refused.verified).toBe(false);
      expect(codes(refused)).toContain('RESOLVER_ERROR');
      const accepted = await verifyPresentation(vp, {
        challenge,
        now: NOW,
        resolveDocument: serve(onlyAuthentication),
      });
      expect(codes(accepted)).toEqual([]);
      expect(accepted.verified).toBe(true);
    }
  });

  it('held: holder spelled differently from the key controller (case, fragment, DID URL) fails the binding', async () => {
    const upper = learnerKey.controller.replace('did:key:', 'DID:KEY:');
    for (const holder of [
      upper,
      `${learnerKey.controller}#${learnerKey.publicKeyMultibase}`,
      `${learnerKey.controller}/path`,
      `${learnerKey.controller}?x=1`,
    ]) {
      const vp = await signPresentation(createPresentation({ verifiableCredential: [await vc()], holder }), {
        key: learnerKey,
        challenge,
        created,
        allowForeignController: true,
      });
      const r = await verifyPresentation(vp, { challenge, now: NOW });
      expect(r.verified, holder).toBe(false);
      expect(codes(r), holder).toContain('HOLDER_BINDING_MISMATCH');
    }
  });

  it('held: a did:key verification method whose fragment names another key is refused', async () => {
    const attacker = generateKey();
    const forged = generateKey({
      controller: learnerKey.controller,
      id: `${learnerKey.controller}#${attacker.publicKeyMultibase}`,
    });
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: forged, challenge, created, allowForeignController: true },
    ).catch(() => undefined);
    if (vp === undefined) return; // refused at signing: nothing to verify
    const r = await verifyPresentation(vp, { challenge, now: NOW });
    expect(r.verified).toBe(false);
    expect(codes(r)).toEqual(['INVALID_KEY']);
  });

  it('held: VP-JWT with iss other than holder, with a header jwk, with nonce as an array', async () => {
    const key = await jwtKey(learnerKey);
    const base = { iat: Math.floor(Date.parse(created) / 1000), nonce: challenge, aud: domain };
    const vp = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      verifiableCredential: [await vc()],
    };
    const otherIss = await signJwtPayload(
      { ...base, iss: 'did:example:someone', vp },
      { typ: 'JWT' },
      { key, header: 'kid' },
    );
    expect(codes(await verifyPresentation(otherIss, { challenge, domain, now: NOW }))).toContain(
      'HOLDER_BINDING_MISMATCH',
    );
    const attacker = await jwtKey(generateKey());
    const withJwk = await signJwtPayload(
      { ...base, iss: learnerKey.controller, vp },
      { typ: 'JWT' },
      { key: attacker, header: 'jwk' },
    );
    expect((await verifyPresentation(withJwk, { challenge, domain, now: NOW })).verified).toBe(false);
    const arrayNonce = await signJwtPayload(
      { ...base, nonce: [challenge, 'x'], iss: learnerKey.controller, vp },
      { typ: 'JWT' },
      { key, header: 'kid' },
    );
    expect(codes(await verifyPresentation(arrayNonce, { challenge, domain, now: NOW }))).toContain(
      'CHALLENGE_MISMATCH',
    );
    const arrayAud = await signJwtPayload(
      { ...base, aud: ['https://other.example', domain], iss: learnerKey.controller, vp },
      { typ: 'JWT' },
      { key, header: 'kid' },
    );
    expect((await verifyPresentation(arrayAud, { challenge, domain, now: NOW })).verified).toBe(true);
    const noIat = await signJwtPayload(
      { nonce: challenge, aud: domain, iss: learnerKey.controller, vp },
      { typ: 'JWT' },
      { key, header: 'kid' },
    );
    expect(codes(await verifyPresentation(noIat, { challenge, domain, now: NOW }))).toContain('STALE_PRESENTATION');
  });
});

describe('red team: replay and proof sets', () => {
  it('held: no created, created far in the past or future: STALE_PRESENTATION', async () => {
    const signed = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    const far = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created: '2020-01-01T00:00:00Z' },
    );
    const future = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created: '2030-01-01T00:00:00Z' },
    );
    expect(codes(await verifyPresentation(far, { challenge, now: NOW }))).toContain('STALE_PRESENTATION');
    expect((await verifyPresentation(future, { challenge, now: NOW })).verified).toBe(false);
    // Removing created breaks the signature (it is signed) — and without it there is no age either way.
    const { created: _c, ...noCreated } = (signed as { proof: Record<string, unknown> }).proof;
    expect((await verifyPresentation({ ...signed, proof: noCreated }, { challenge, now: NOW })).verified).toBe(false);
  });

  it('held: two proofs where only one carries the challenge fails CHALLENGE_MISMATCH', async () => {
    const unsigned = createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller });
    const withChallenge = await signPresentation(unsigned, { key: learnerKey, challenge, created });
    const without = await signPresentation(unsigned, { key: learnerKey, created });
    const both = {
      ...withChallenge,
      proof: [(withChallenge as { proof: unknown }).proof, (without as { proof: unknown }).proof],
    };
    const r = await verifyPresentation(both, { challenge, now: NOW });
    expect(r.verified).toBe(false);
    expect(codes(r)).toContain('CHALLENGE_MISMATCH');
  });
});

describe('red team: what a presentation holds', () => {
  it('held: 33 credentials are refused without verifying any (each is a full verify)', async () => {
    const one = await vc();
    const vp = await signPresentation(
      createPresentation({
        verifiableCredential: Array.from({ length: 33 }, () => one),
        holder: learnerKey.controller,
      }),
      { key: learnerKey, challenge, created },
    );
    const r = await verifyPresentation(vp, { challenge, now: NOW });
    expect(r.verified).toBe(false);
    expect(r.credentials).toEqual([]);
    expect(codes(r)).toContain('INVALID_CREDENTIAL');
  });

  it('hole: 3,000 credentials are refused before any JSON-LD work (form check, canonicalization: ~1 ms each)', async () => {
    const one = await vc();
    const proof = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'authentication',
      verificationMethod: learnerKey.id,
      created,
      challenge,
      proofValue: 'z3FXQ',
    };
    const vp = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      verifiableCredential: Array.from({ length: 3000 }, () => one),
      proof,
    };
    const { result: r, ms } = await cpuTime(() => verifyPresentation(vp, { challenge, now: NOW }));
    expect(r.verified).toBe(false);
    expect(r.checks.map((c) => c.check)).toEqual(['parse', 'credentials']);
    expect(codes(r)).toEqual(['INVALID_CREDENTIAL']);
    expect(ms).toBeLessThan(1000);
  });

  it('held: a presentation nested as a credential is not a verified credential', async () => {
    const inner = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    const outer = {
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      verifiableCredential: [inner],
    };
    const r = await verifyPresentation(outer, { challenge, now: NOW, allowUnsigned: true });
    expect(r.verified).toBe(false);
    expect(codes(r)).toEqual(['INVALID_CREDENTIAL']);
    expect(codes(r.credentials[0]!)).toEqual(['INVALID_INPUT']);
  });

  it('held: enveloped credentials of another media type, base64, or oversized are not verified', async () => {
    const jwt = await issue(credentialFor({ id: learnerKey.controller }), {
      key: issuerKey,
      created: issued,
      format: 'vc+jwt',
    });
    const ids = [
      `data:text/plain,${jwt}`,
      `data:application/vc+jwt;base64,${btoa(jwt as string)}`,
      `data:application/vc+jwt,${'a'.repeat(1_000_001)}`,
      'data:application/vc+jwt,%E0%A4%A',
    ];
    for (const id of ids) {
      const vp = {
        '@context': [V2],
        type: ['VerifiablePresentation'],
        holder: learnerKey.controller,
        verifiableCredential: [{ '@context': [V2], type: 'EnvelopedVerifiableCredential', id }],
      };
      const r = await verifyPresentation(vp, { challenge, now: NOW, allowUnsigned: true });
      expect(r.verified, id.slice(0, 40)).toBe(false);
    }
  });

  it('held: requireHolderIsSubject with a subject array naming the holder beside another: the holder is a subject', async () => {
    const stranger = generateKey();
    const c = await issue(credentialFor({ id: stranger.controller }), { key: issuerKey, created: issued });
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [c], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    expect(codes(await verifyPresentation(vp, { challenge, now: NOW, requireHolderIsSubject: true }))).toContain(
      'SUBJECT_NOT_HOLDER',
    );
  });
});

describe('red team: verifyPresentation never throws', () => {
  it('for any JSON value and any string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.record({
            '@context': fc.constant([V2]),
            type: fc.constant(['VerifiablePresentation']),
            holder: fc.jsonValue(),
            verifiableCredential: fc.jsonValue(),
            proof: fc.jsonValue(),
          }),
        ),
        async (input) => {
          const r = await verifyPresentation(input, { challenge, now: NOW });
          expect(r.verified).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('red team: options that would switch replay protection off', () => {
  it('hole: maxAgeSeconds NaN / a string / negative, or an invalid now, throw INVALID_INPUT instead of accepting any age (as verify() does)', async () => {
    const old = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created: '2020-01-01T00:00:00Z' },
    );
    for (const options of [
      { maxAgeSeconds: Number.NaN },
      { maxAgeSeconds: 'ten minutes' as unknown as number },
      { maxAgeSeconds: -5 },
      { now: new Date('garbage') },
      { clockSkewSeconds: Number.NaN },
    ]) {
      await expect(
        verifyPresentation(old, { challenge, now: NOW, ...options }),
        JSON.stringify(options),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    // An empty presentation with a garbage clock: nothing else would fail it.
    const empty = await signPresentation(
      createPresentation({ verifiableCredential: [], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created: '2020-01-01T00:00:00Z' },
    );
    await expect(verifyPresentation(empty, { challenge, now: new Date('garbage') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      verifyPresentation(empty, { challenge, now: NOW, clockSkewSeconds: Number.NaN }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('red team: related resources across a presentation', () => {
  it('hole: 4 credentials naming 8 related resources each make at most 8 fetches in one verifyPresentation', async () => {
    const { digestMultibaseOf } = await import('../src/stack/digest');
    const bytes = new TextEncoder().encode('syllabus');
    const credentials = [];
    for (let c = 0; c < 4; c++) {
      const relatedResource = Array.from({ length: 8 }, (_, i) => ({
        id: `https://host${c}-${i}.example/r`,
        digestMultibase: digestMultibaseOf(bytes),
      }));
      credentials.push(
        await issue(
          { ...credentialFor({ id: learnerKey.controller }), relatedResource },
          { key: issuerKey, created: issued },
        ),
      );
    }
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: credentials, holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    const asked: string[] = [];
    await verifyPresentation(vp, { challenge, now: NOW, fetchResource: async (url) => (asked.push(url), bytes) });
    expect(asked.length).toBeLessThanOrEqual(8);
  });
});

describe('red team: duplicate JSON keys in a presentation', () => {
  it('hole: a presentation text, or a credential inside it, naming a key twice is refused (DUPLICATE_KEY), as a credential alone is', async () => {
    const stranger = generateKey();
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    const text = JSON.stringify(vp);
    // JSON.parse keeps the last holder (the signed one); a reader keeping the first sees a stranger's presentation.
    const twoHolders = text.replace(
      `"holder":"${learnerKey.controller}"`,
      `"holder":"${stranger.controller}","holder":"${learnerKey.controller}"`,
    );
    expect(twoHolders).not.toBe(text);
    expect((await verifyPresentation(text, { challenge, now: NOW })).verified).toBe(true);
    const r1 = await verifyPresentation(twoHolders, { challenge, now: NOW });
    expect(r1.verified).toBe(false);
    expect(codes(r1)).toContain('DUPLICATE_KEY');
    // Inside a credential: its validFrom twice.
    const inner = text.replace(
      '"validFrom":"2025-01-01T00:00:00Z"',
      '"validFrom":"2099-01-01T00:00:00Z","validFrom":"2025-01-01T00:00:00Z"',
    );
    expect(inner).not.toBe(text);
    const r2 = await verifyPresentation(inner, { challenge, now: NOW });
    expect(r2.verified).toBe(false);
    expect(codes(r2)).toContain('DUPLICATE_KEY');
  });

  it('hole: a VP-JWT whose payload names a key twice is refused', async () => {
    const { toBase64url } = await import('../src/shared/base64url');
    const enc = (t: string) => toBase64url(new TextEncoder().encode(t));
    const iat = Math.floor(Date.parse(created) / 1000);
    const vp = JSON.stringify({
      '@context': [V2],
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      verifiableCredential: [await vc()],
    });
    const payload = `{"iss":"${learnerKey.controller}","nonce":"other","nonce":"${challenge}","iat":${iat},"vp":${vp}}`;
    const header = enc(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: learnerKey.id }));
    const signingInput = `${header}.${enc(payload)}`;
    const jwt = `${signingInput}.${toBase64url(await learnerKey.sign(new TextEncoder().encode(signingInput)))}`;
    const r = await verifyPresentation(jwt, { challenge, now: NOW });
    expect(r.verified).toBe(false);
    expect(codes(r)).toContain('DUPLICATE_KEY');
  });
});

describe('red team: contexts that would make the proof unchecked', () => {
  it('held: an unknown context, an inline @vocab or an inline term added to a presentation (to skip or dodge its proof) fails', async () => {
    const stranger = generateKey();
    const vp = (await signPresentation(
      createPresentation({ verifiableCredential: [await vc()], holder: stranger.controller }),
      { key: stranger, challenge, created },
    )) as unknown as Record<string, unknown>;
    for (const ctx of [
      'https://evil.example/ctx',
      { '@vocab': 'https://evil.example/' },
      { holderX: 'https://evil.example/h' },
    ]) {
      const forged = { ...vp, '@context': [...(vp['@context'] as unknown[]), ctx], holder: learnerKey.controller };
      const r = await verifyPresentation(forged, { challenge, now: NOW });
      expect(r.verified, JSON.stringify(ctx)).toBe(false);
    }
  });
});

describe('red team: subject binding without a proven holder', () => {
  it('hole: an unsigned presentation (allowUnsigned) naming the subject as holder does not pass requireHolderIsSubject', async () => {
    // Anyone holding a copy of the learner's credential can write { holder: <the learner> } around it.
    const unsigned = createPresentation({ verifiableCredential: [await vc()], holder: learnerKey.controller });
    const r = await verifyPresentation(unsigned, { now: NOW, allowUnsigned: true, requireHolderIsSubject: true });
    expect(r.checks.find((c) => c.check === 'subjectBinding')?.status).toBe('fail');
    expect(r.verified).toBe(false);
    // Without requireHolderIsSubject the caller's allowUnsigned stands.
    expect((await verifyPresentation(unsigned, { now: NOW, allowUnsigned: true })).verified).toBe(true);
  });
});
