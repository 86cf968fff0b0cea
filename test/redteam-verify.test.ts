/**
 * Red team: enveloped credentials, bare vc+jwt tokens and the consistency check, fed what a holder can forge. These
 * held; they stay so that they keep holding.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createPresentation,
  generateKey,
  issue,
  jwtKeyFromEd25519,
  signPresentation,
  verify,
  verifyClr,
  verifyPresentation,
  verifyStack,
  type VerificationReport,
} from '../src';
import { signJwtPayload } from '../src/entries/proof';
import { checkConsistency } from '../src/read/consistency';

type Json = Record<string, unknown>;
const V2 = 'https://www.w3.org/ns/credentials/v2';
const issuerKey = generateKey();
const NOW = new Date('2026-03-01T12:00:00Z');
const iat = Math.floor(Date.parse('2026-02-01T00:00:00Z') / 1000);

function plain(issuer: unknown, extra: Json = {}): Json {
  return {
    '@context': [V2],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:learner' },
    ...extra,
  };
}
const envelope = (jwt: string) => ({
  '@context': [V2],
  type: 'EnvelopedVerifiableCredential',
  id: `data:application/vc+jwt,${jwt}`,
});

/** The failed checks of a report, as check:code. */
const failed = (r: VerificationReport): string[] =>
  r.checks.filter((c) => c.status === 'fail').map((c) => `${c.check}:${c.code}`);

describe('red team: enveloped credentials and vc+jwt', () => {
  it("held: a vc+jwt whose iss is not the credential's issuer fails, enveloped or bare", async () => {
    const key = await jwtKeyFromEd25519(issuerKey);
    const jwt = await signJwtPayload(
      { ...plain(issuerKey.controller), iss: 'did:example:someone-else', iat },
      { typ: 'vc+jwt', cty: 'vc' },
      { key, header: 'kid' },
    );
    for (const r of [await verify(jwt, { now: NOW }), await verify(envelope(jwt), { now: NOW })]) {
      expect(r.verified).toBe(false);
      expect(failed(r)).toEqual(['proof:KEY_BINDING_MISMATCH']);
    }
  });

  it('held: a vc+jwt signed by a stranger naming the issuer, or carrying a vc claim, fails', async () => {
    const stranger = await jwtKeyFromEd25519(generateKey());
    const forged = await signJwtPayload(
      { ...plain(issuerKey.controller), iat },
      { typ: 'vc+jwt' },
      { key: stranger, header: 'kid' },
    );
    const byStranger = await verify(envelope(forged), { now: NOW });
    expect(byStranger.verified).toBe(false);
    expect(failed(byStranger)).toEqual(['keyBinding:KEY_BINDING_MISMATCH']);
    const key = await jwtKeyFromEd25519(issuerKey);
    const withVc = await signJwtPayload(
      { ...plain(issuerKey.controller), vc: plain('did:example:x'), iat },
      { typ: 'vc+jwt' },
      { key, header: 'kid' },
    );
    const carryingVc = await verify(envelope(withVc), { now: NOW });
    expect(carryingVc.verified).toBe(false);
    expect(failed(carryingVc)).toEqual(['proof:INVALID_INPUT']);
  });

  it('held: an envelope inside an envelope, or a presentation inside, is not a verified credential', async () => {
    const key = await jwtKeyFromEd25519(issuerKey);
    const inner = await issue(plain(issuerKey.controller), {
      key: issuerKey,
      created: '2026-02-01T00:00:00Z',
      format: 'vc+jwt',
    });
    expect((await verify(envelope(inner as string), { now: NOW })).verified).toBe(true);
    const outer = await signJwtPayload(
      { ...envelope(inner as string), issuer: issuerKey.controller, iat },
      { typ: 'vc+jwt' },
      { key, header: 'kid' },
    );
    const nested = await verify(envelope(outer), { now: NOW });
    expect(nested.verified).toBe(false);
    expect(failed(nested)).toContain('contexts:SAFE_MODE_VIOLATION');
    const vp = await signJwtPayload(
      { '@context': [V2], type: ['VerifiablePresentation'], holder: issuerKey.controller, iat },
      { typ: 'vp+jwt' },
      { key, header: 'kid' },
    );
    const presentation = await verify(envelope(vp), { now: NOW });
    expect(presentation.verified).toBe(false);
    expect(failed(presentation)).toEqual(['parse:INVALID_INPUT']);
  });

  it('held: data: URLs of another media type, base64, bad percent-encoding, oversized, or no JWS are refused without throwing', async () => {
    const inner = (await issue(plain(issuerKey.controller), {
      key: issuerKey,
      created: '2026-02-01T00:00:00Z',
      format: 'vc+jwt',
    })) as string;
    for (const id of [
      `data:application/json,${inner}`,
      `data:application/vc+jwt;base64,${btoa(inner)}`,
      'data:application/vc+jwt,%E0%A4%A',
      `data:application/vc+jwt,${'A'.repeat(1_000_001)}`,
      'data:application/vc+jwt,{}',
      'data:,',
      'https://example.com/vc.jwt',
      42,
    ]) {
      const r = await verify({ '@context': [V2], type: ['EnvelopedVerifiableCredential'], id }, { now: NOW });
      expect(r.verified, String(id).slice(0, 40)).toBe(false);
    }
  });
});

describe('red team: verify() and checkConsistency never throw for JSON', () => {
  const credentialish = fc.record(
    {
      '@context': fc.oneof(fc.constant([V2]), fc.jsonValue()),
      type: fc.oneof(
        fc.constant(['VerifiableCredential', 'EnvelopedVerifiableCredential']),
        fc.constant(['VerifiableCredential', 'OpenBadgeCredential']),
        fc.jsonValue(),
      ),
      id: fc.oneof(
        fc.string().map((s) => `data:application/vc+jwt,${s}`),
        fc.jsonValue(),
      ),
      issuer: fc.jsonValue(),
      credentialSubject: fc.jsonValue(),
      relatedResource: fc.jsonValue(),
      validFrom: fc.jsonValue(),
      proof: fc.jsonValue(),
    },
    { requiredKeys: ['@context', 'type'] },
  );

  it('checkConsistency(any credential-shaped JSON)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          credentialish,
          fc.record({
            credentialSubject: fc.record({
              achievement: fc.jsonValue(),
              result: fc.jsonValue(),
              creditsEarned: fc.jsonValue(),
            }),
          }),
        ),
        (c) => {
          expect(Array.isArray(checkConsistency(c))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('verify(any credential-shaped JSON, with fetchResource)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), credentialish), async (c) => {
        const r = await verify(c as Json, { now: NOW, fetchResource: async () => new Uint8Array() });
        expect(r.verified).toBe(false);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('red team: garbage options to the new entry points', () => {
  it('verifyStack, verifyClr and verifyPresentation never throw for JSON option values (learner, challenge, limits…), except INVALID_INPUT for an unusable age limit', async () => {
    const c = await issue(plain(issuerKey.controller), { key: issuerKey, created: '2026-02-01T00:00:00Z' });
    const vp = await signPresentation(createPresentation({ verifiableCredential: [c], holder: issuerKey.controller }), {
      key: issuerKey,
      challenge: 'x',
      created: '2026-03-01T11:59:00Z',
    });
    const keys = [
      'challenge',
      'domain',
      'maxAgeSeconds',
      'allowUnsigned',
      'requireHolderIsSubject',
      'statusCheck',
      'maxResolvedDocuments',
      'contexts',
      'jwks',
      'acceptUnconfirmedFragmentKeys',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()),
        async (learner, opts) => {
          await verifyStack({ programme: c, parts: [c], learner: learner as never, ...(opts as object), now: NOW });
          await verifyClr(c, { learner: learner as never, ...(opts as object), now: NOW });
          const maxAge = (opts as { maxAgeSeconds?: unknown }).maxAgeSeconds;
          if (maxAge !== undefined && !(typeof maxAge === 'number' && maxAge >= 0)) {
            // An age limit that is not a number would accept a presentation of any age: the caller's mistake, thrown.
            await expect(verifyPresentation(vp, { ...(opts as object), now: NOW })).rejects.toMatchObject({
              code: 'INVALID_INPUT',
            });
            return;
          }
          const r = await verifyPresentation(vp, { ...(opts as object), now: NOW });
          // Only the right challenge verifies it.
          if (r.verified)
            expect(
              (opts as { challenge?: unknown }).challenge === undefined ||
                (opts as { challenge?: unknown }).challenge === 'x',
            ).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('red team: a host that never answers', () => {
  const never = () => new Promise<never>(() => undefined);
  // A fetch that never returns hangs a verify without the timeout; the limit only tells "hung" from "slow", so it is
  // far from resolverTimeoutMs: a loaded CI machine can leave this process without a core for seconds.
  const within = async <T>(p: Promise<T>, ms: number): Promise<T | 'hung'> =>
    Promise.race([p, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);

  it('hole: a status list or related resource fetch that never returns is abandoned after resolverTimeoutMs', async () => {
    const { digestMultibaseOf } = await import('../src/stack/digest');
    const status = {
      id: 'https://status.example/1#5',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '5',
      statusListCredential: 'https://status.example/1',
    };
    const withStatus = await issue(plain(issuerKey.controller, { credentialStatus: status }), {
      key: issuerKey,
      created: '2026-02-01T00:00:00Z',
    });
    const r1 = await within(verify(withStatus, { now: NOW, resolverTimeoutMs: 100, fetchStatusList: never }), 20_000);
    expect(r1).not.toBe('hung');
    if (r1 !== 'hung') {
      expect(r1.verified).toBe(false);
      expect(r1.checks.find((c) => c.check === 'status')?.code).toBe('STATUS_RETRIEVAL_ERROR');
    }
    const withResource = await issue(
      plain(issuerKey.controller, {
        relatedResource: [
          { id: 'https://slow.example/syllabus', digestMultibase: digestMultibaseOf(new Uint8Array([1])) },
        ],
      }),
      { key: issuerKey, created: '2026-02-01T00:00:00Z' },
    );
    const r2 = await within(verify(withResource, { now: NOW, resolverTimeoutMs: 100, fetchResource: never }), 20_000);
    expect(r2).not.toBe('hung');
    if (r2 !== 'hung') expect(r2.checks.find((c) => c.check === 'relatedResource')?.status).toBe('warn');
  }, 60_000);
});
