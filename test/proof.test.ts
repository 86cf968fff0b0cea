import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { MicrocredError } from '../src/errors';
import { CompactSign, generateKeyPair } from 'jose';
import { fastCanonize } from '../src/jsonld/fast';
import { canonicalizeRdf } from '../src/jsonld/canonize';
import {
  createProof,
  createResolver,
  localResolver,
  signJwt,
  verifyJwt,
  verifyProof,
  verifyProofSet,
  type Proof,
} from '../src/proof';
import { exportJwks, generateJwtKey, generateKey, jwtKeyFromEd25519 } from '../src/keys';
import { fixturePath, readFixtureJson } from './helpers/fixtures';

type Json = Record<string, unknown>;
interface RenderedEntry {
  file: string;
  kind: 'vc-jwt' | 'embedded-proof';
  expectedSignatureValid: boolean;
  vcClaim?: boolean;
}

const jsonFiles = (...dir: string[]) =>
  fs.readdirSync(fixturePath(...dir)).filter((f) => f.endsWith('.json') && !f.startsWith('_'));
const rendered = readFixtureJson<RenderedEntry[]>('ob3', 'spec-rendered-signed', '_manifest.json');

/** Every signed OB 3.0 credential with an embedded proof: the spec's, 1EdTech's test data, seven eras of the rendered spec. */
const embedded: { name: string; doc: Json }[] = [
  ...jsonFiles('ob3', 'spec-signed').map((f) => ({
    name: `spec-signed/${f}`,
    doc: readFixtureJson<Json>('ob3', 'spec-signed', f),
  })),
  ...jsonFiles('ob3', 'third-party-signed').map((f) => ({
    name: `third-party-signed/${f}`,
    doc: readFixtureJson<Json>('ob3', 'third-party-signed', f),
  })),
  ...rendered
    .filter((e) => e.kind === 'embedded-proof')
    .map((e) => ({ name: e.file, doc: readFixtureJson<Json>('ob3', 'spec-rendered-signed', e.file) })),
];
const jwts: { name: string; jwt: string; payload: Json; vcClaim: boolean }[] = rendered
  .filter((e) => e.kind === 'vc-jwt')
  .map((e) => {
    const f = readFixtureJson<{ compactJws: string; decodedPayload: Json }>('ob3', 'spec-rendered-signed', e.file);
    return { name: e.file, jwt: f.compactJws, payload: f.decodedPayload, vcClaim: Boolean(e.vcClaim) };
  });

/**
 * The corpus's https issuers name their key in the verification method's fragment (1EdTech's convention): the
 * signatures are checked with that key, which the resolver returns as unconfirmed (nothing ties it to the issuer).
 */
const fragmentKeys = localResolver({ acceptUnconfirmedFragmentKeys: true });
const issuerId = (doc: Json) => (typeof doc.issuer === 'string' ? doc.issuer : (doc.issuer as Json | undefined)?.id);

describe('every signed OB 3.0 example verifies at the proof level', () => {
  it('finds the corpus (spec-signed, third-party-signed and the rendered spec: embedded proofs and JWTs)', () => {
    expect(embedded.length).toBe(2 + 2 + 49);
    expect(jwts.length).toBe(50);
    expect(rendered.every((e) => e.expectedSignatureValid)).toBe(true);
  });

  it('embedded proofs (eddsa-rdfc-2022, eddsa-2022, Ed25519Signature2020): valid signatures under the fragment key, which names the issuer but is unconfirmed', async () => {
    const wrong: string[] = [];
    const suites = new Set<string>();
    for (const { name, doc } of embedded) {
      const r = await verifyProofSet(doc, {
        resolveVerificationMethod: fragmentKeys,
        now: new Date('2026-11-28T00:00:00Z'),
      });
      for (const x of r.results) suites.add(x.cryptosuite ?? '?');
      if (!r.verified) wrong.push(`${name}: ${r.message}`);
      else if (!r.results.every((x) => x.controller === issuerId(doc) && x.keyUnconfirmed === true))
        wrong.push(`${name}: controller ≠ issuer, or confirmed`);
      // Without the option the fragment is not a key at all: nothing to verify with.
      if ((await verifyProofSet(doc)).results.some((x) => x.verified))
        wrong.push(`${name}: verified without acceptUnconfirmedFragmentKeys`);
    }
    expect(wrong).toEqual([]);
    expect([...suites].sort()).toEqual(['Ed25519Signature2020', 'eddsa-2022', 'eddsa-rdfc-2022']);
  });

  it('RS256 VC-JWTs (key in header.jwk; VC 1.1 `vc` claim and VC 2.0 flat payloads): valid, and the credential is read out', async () => {
    const wrong: string[] = [];
    for (const { name, jwt, payload, vcClaim } of jwts) {
      const r = await verifyJwt(jwt);
      if (!r.verified) wrong.push(`${name}: ${r.message}`);
      else {
        expect(r.algorithm).toBe('RS256');
        expect(r.claims).toEqual(payload);
        expect(r.credential).toEqual(vcClaim ? payload.vc : payload);
        expect(r.keyBound).toBe(false); // a self-asserted header key is not proof of the issuer's key
      }
    }
    expect(wrong).toEqual([]);
    expect(jwts.filter((j) => j.vcClaim).length).toBeGreaterThan(0);
    expect(jwts.filter((j) => !j.vcClaim).length).toBeGreaterThan(0);
  });

  it('DCC fixtures: did:key and did:web (through a caller-supplied resolver serving their DID documents), proof sets of two suites', async () => {
    const dir = ['ob3', 'dcc-vc-test-fixtures'];
    const manifest = readFixtureJson<{ files: Record<string, { 'signatureValid(normal)'?: unknown[] }> }>(
      ...dir,
      '_manifest.json',
    ).files;
    const dids: Record<string, unknown> = {
      'https://digitalcredentials.github.io/vc-test-fixtures/dids/legacy/did.json': readFixtureJson(
        ...dir,
        '_dids',
        'legacy.did.json',
      ),
      'https://digitalcredentials.github.io/vc-test-fixtures/dids/oidf/did.json': readFixtureJson(
        ...dir,
        '_dids',
        'oidf.did.json',
      ),
    };
    const requested = new Set<string>();
    const resolveVerificationMethod = createResolver({
      resolveDocument: async (url) => {
        requested.add(url);
        if (!(url in dids)) throw new Error(`not found: ${url}`);
        return dids[url];
      },
    });
    let checked = 0;
    const wrong: string[] = [];
    for (const [file, entry] of Object.entries(manifest)) {
      const expected = entry['signatureValid(normal)'];
      if (!Array.isArray(expected) || !expected.every((v) => typeof v === 'boolean')) continue; // context not available offline
      const doc = readFixtureJson<Json>(...dir, file);
      const r = await verifyProofSet(doc, { resolveVerificationMethod });
      if (JSON.stringify(doc.proof).includes('dcc-did-web')) {
        // The DCC did:web issuers outside vc-test-fixtures/dids have no DID document here: not resolvable, so not verified.
        expect(
          r.results.every((x) => x.code === 'RESOLVER_ERROR'),
          file,
        ).toBe(true);
        continue;
      }
      const got = r.results.map((x) => x.verified);
      if (JSON.stringify(got) !== JSON.stringify(expected))
        wrong.push(`${file}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)} (${r.message})`);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(60);
    expect([...requested]).toEqual(expect.arrayContaining(Object.keys(dids)));
  });
});

describe('an injected RDFC canonicalizer', () => {
  it('is the one used, and the compiled fast path gives the same verdicts and the same proofs', async () => {
    let calls = 0;
    const counting = (doc: object, o: Parameters<typeof canonicalizeRdf>[1]) => (calls++, canonicalizeRdf(doc, o));
    const doc = embedded[0]!.doc;
    expect((await verifyProofSet(doc, { canonize: counting, resolveVerificationMethod: fragmentKeys })).verified).toBe(
      true,
    );
    expect(calls).toBe(2 * (Array.isArray(doc.proof) ? doc.proof.length : 1));
    for (const { name, doc: d } of embedded)
      expect(
        (await verifyProofSet(d, { canonize: fastCanonize, resolveVerificationMethod: fragmentKeys })).verified,
        name,
      ).toBe(true);
    // A set of two proofs over the same document canonicalizes that document once (plus each proof configuration).
    calls = 0;
    const twoProofs = readFixtureJson<Json>(
      'ob3',
      'dcc-vc-test-fixtures',
      'v2_bothSignatureTypes_didkey_legacy-noStatus-noExpiry.json',
    );
    const r = await verifyProofSet(twoProofs, { canonize: counting });
    expect(r.results.map((x) => x.verified)).toEqual([true, true]);
    expect(calls).toBe(3);
    const key = generateKey({ controller: 'https://example.edu/issuers/565049' });
    const { proof: _p, ...unsigned } = embedded[0]!.doc;
    const a = await createProof(unsigned, { key, created: '2025-01-01T00:00:00Z' });
    const b = await createProof(unsigned, { key, created: '2025-01-01T00:00:00Z', canonize: fastCanonize });
    expect(b).toEqual(a);
    const broken = async () => {
      throw new Error('canonicalizer down');
    };
    expect(await verifyProofSet(doc, { canonize: broken, resolveVerificationMethod: fragmentKeys })).toMatchObject({
      verified: false,
      code: 'INVALID_INPUT',
    });
    await expect(createProof(unsigned, { key, canonize: broken })).rejects.toMatchObject({
      code: 'PROOF_GENERATION_ERROR',
    });
  });
});

/** JSON paths of every leaf value, outside @context (contexts are covered by their own test below). */
function leafPaths(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((v, i) => leafPaths(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (k !== '@context') leafPaths(v, [...path, k], out);
  } else out.push(path);
  return out;
}

function mutate(doc: Json, path: (string | number)[], kind: 'change' | 'remove' | 'add', suffix: string): Json {
  const copy = structuredClone(doc);
  if (kind === 'add') {
    // A property no context defines: a verifier outside JSON-LD safe mode would drop it and still say "valid".
    owningNode(copy, path)[`tampered${suffix}`] = 'added after signing';
    return copy;
  }
  let parent: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const old = parent[last];
  if (kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] =
      typeof old === 'string'
        ? old + suffix
        : typeof old === 'number'
          ? old + 1
          : typeof old === 'boolean'
            ? !old
            : suffix;
  }
  return copy;
}

describe('tampering makes every proof fail (generated mutations)', () => {
  it('changing, removing or adding any value of an embedded-proof credential — document or proof — makes it unverified', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...embedded),
        fc.nat(),
        fc.constantFrom('change' as const, 'remove' as const, 'add' as const),
        fc.string({ minLength: 1, maxLength: 4 }),
        async ({ name, doc }, pick, kind, suffix) => {
          // Removals that leave the RDF unchanged are not tampering to an RDFC proof, so they are not generated: a null
          // (JSON-LD ignores it), and a property of a node described twice (the 2022 examples repeat the issuer
          // profile as achievement.creator; its triples are merged, so deleting one copy of `name` removes nothing).
          const repeated = repeatedNodeIds(doc);
          const paths = leafPaths(doc).filter(
            (p) => kind !== 'remove' || (valueAt(doc, p) !== null && !repeated.has(String(owningNode(doc, p).id))),
          );
          const path = paths[pick % paths.length]!;
          const r = await verifyProofSet(mutate(doc, path, kind, suffix), { resolveVerificationMethod: fragmentKeys });
          expect(r.verified, `${name}: ${kind} ${JSON.stringify(path)} still verifies`).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  }, 120_000);

  it('changing the @context list (dropping the OB context, switching the VC context version) makes it unverified', async () => {
    // Not generated: reordering (the OB and VC contexts define their shared terms identically, so the RDF and thus an
    // RDFC signature stay the same) and dropping a context whose terms the document does not use (the ed25519-2020
    // suite context of a VC 1.1 credential: only the removed proof used it). Both leave the signed RDF unchanged.
    const VC1 = 'https://www.w3.org/2018/credentials/v1';
    const VC2 = 'https://www.w3.org/ns/credentials/v2';
    for (const { name, doc } of embedded) {
      const ctx = doc['@context'] as string[];
      const withoutOb = ctx.filter((c) => !c.includes('imsglobal'));
      const otherVc = ctx.map((c) => (c === VC1 ? VC2 : c === VC2 ? VC1 : c));
      for (const variant of [withoutOb, otherVc]) {
        expect(variant).not.toEqual(ctx);
        const r = await verifyProofSet({ ...doc, '@context': variant }, { resolveVerificationMethod: fragmentKeys });
        expect(r.verified, `${name}: ${JSON.stringify(variant)}`).toBe(false);
      }
    }
  });

  it('flipping any bit of a VC-JWT (header, payload or signature) makes it unverified', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...jwts),
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async ({ name, jwt }, part, pick, bit) => {
          const parts = jwt.split('.');
          const bytes = Buffer.from(parts[part]!, 'base64url');
          bytes[pick % bytes.length]! ^= 1 << bit;
          parts[part] = bytes.toString('base64url');
          const r = await verifyJwt(parts.join('.'));
          expect(r.verified, `${name}: part ${part} byte ${pick % bytes.length} bit ${bit}`).toBe(false);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  }, 120_000);
});

function repeatedNodeIds(doc: unknown): Set<string> {
  const counts = new Map<string, number>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const id = (v as Json).id;
      if (typeof id === 'string' && Object.keys(v).length > 1) counts.set(id, (counts.get(id) ?? 0) + 1);
      Object.values(v).forEach(walk);
    }
  };
  walk(doc);
  return new Set([...counts].filter(([, n]) => n > 1).map(([id]) => id));
}

/** The JSON object (node) a leaf belongs to: its parent, or the parent's parent for an item of an array value. */
function owningNode(doc: unknown, path: (string | number)[]): Json {
  for (let end = path.length - 1; end >= 0; end--) {
    const v = valueAt(doc, path.slice(0, end));
    if (!Array.isArray(v)) return v as Json;
  }
  return doc as Json;
}

function valueAt(doc: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], doc);
}

describe('bad input is an answer, never an exception', () => {
  const signed = embedded.find((e) => e.name.startsWith('spec-signed/impl-guide'))!.doc;
  const proof = (Array.isArray(signed.proof) ? signed.proof[0] : signed.proof) as Proof;

  it('verifyProof / verifyProofSet / verifyJwt on arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (doc, p) => {
        expect((await verifyProof(doc, p)).verified).toBe(false);
        expect((await verifyProof(signed, p)).verified).toBe(false);
        expect((await verifyProofSet(doc)).verified).toBe(false);
        expect((await verifyJwt(doc)).verified).toBe(false);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('createProof and signJwt on arbitrary values: a signed document or a MicrocredError, nothing else', async () => {
    const key = generateKey();
    const jwtKey = await generateJwtKey('ES256', { kid: 'k' });
    const expectMicrocredError = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(MicrocredError);
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.anything(),
        fc.anything(),
        fc.constantFrom('eddsa-rdfc-2022' as const, 'eddsa-jcs-2022' as const),
        async (doc, option, cryptosuite) => {
          await expectMicrocredError(createProof(doc as Json, { key, cryptosuite }));
          await expectMicrocredError(createProof({ ...signed, extra: doc }, { key, cryptosuite }));
          await expectMicrocredError(
            createProof(signed, { key, cryptosuite, created: option as string, previousProof: option as string }),
          );
          await expectMicrocredError(createProof(signed, option as never));
          await expectMicrocredError(signJwt(doc as Json, { key: jwtKey }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('garbled proof fields get stable codes', async () => {
    const cases: [Json, string][] = [
      [{ ...proof, proofValue: 'not-multibase' }, 'INVALID_SIGNATURE'],
      [{ ...proof, proofValue: 'z0OIl' }, 'INVALID_SIGNATURE'],
      [{ ...proof, proofValue: 'z' + '1'.repeat(20) }, 'INVALID_SIGNATURE'],
      // Longer than any 64-byte value can be in base58: refused before decoding (decoding is quadratic).
      [{ ...proof, proofValue: 'z' + '2'.repeat(89) }, 'INVALID_SIGNATURE'],
      [{ ...proof, proofValue: 'z' + '2'.repeat(200_000) }, 'INVALID_SIGNATURE'],
      [{ ...proof, proofValue: 'z2\u{1F600}' }, 'INVALID_SIGNATURE'],
      [{ ...proof, proofValue: 42 }, 'INVALID_SIGNATURE'],
      [{ ...proof, verificationMethod: undefined }, 'INVALID_INPUT'],
      [{ ...proof, verificationMethod: 'did:key:zNotAKey#x' }, 'INVALID_KEY'],
      // Base58 decoding is quadratic: a did:key this long took minutes before keys were capped at their real length.
      [{ ...proof, verificationMethod: `did:key:z${'2'.repeat(200_000)}#x` }, 'INVALID_KEY'],
      [{ ...proof, verificationMethod: 'https://issuer.example/keys/1' }, 'RESOLVER_ERROR'],
      [{ ...proof, verificationMethod: 'did:web:issuer.example#key-1' }, 'RESOLVER_ERROR'],
      [{ ...proof, proofPurpose: 'authentication' }, 'INVALID_INPUT'],
      [{ ...proof, created: 'yesterday' }, 'INVALID_INPUT'],
      [{ ...proof, previousProof: 'urn:uuid:missing' }, 'PREVIOUS_PROOF_MISSING'],
      [{ ...proof, previousProof: [1, 2] }, 'INVALID_INPUT'],
      [{ ...proof, id: 'urn:p:1', previousProof: ['urn:p:0', 'urn:p:0'] }, 'INVALID_INPUT'],
      [{ ...proof, cryptosuite: 'eddsa-rdf-2022' }, 'UNSUPPORTED_PROOF'], // the spec's placeholder endorsement proofs
      [{ ...proof, type: 'RsaSignature2018' }, 'UNSUPPORTED_PROOF'],
      [{ ...proof, type: JSON.parse('{"toString": 1}') }, 'UNSUPPORTED_PROOF'], // String() would throw on it
    ];
    for (const [p, code] of cases) {
      const r = await verifyProof(signed, p, { resolveVerificationMethod: fragmentKeys });
      expect(r, JSON.stringify(p).slice(0, 120)).toMatchObject({ verified: false, code });
    }
    expect(
      await verifyProof(
        { ...signed, '@context': [...(signed['@context'] as string[]), 'https://unknown.example/ctx'] },
        proof,
        { resolveVerificationMethod: fragmentKeys },
      ),
    ).toMatchObject({ verified: false, code: 'UNKNOWN_CONTEXT' });
    expect(
      await verifyProof({ ...signed, undefinedTerm: 1 }, proof, { resolveVerificationMethod: fragmentKeys }),
    ).toMatchObject({ verified: false, code: 'SAFE_MODE_VIOLATION' });
  });

  it('a proof set is checked up to 32 proofs; more is refused before any signature is checked', async () => {
    const thirtyTwo = await verifyProofSet(
      { ...signed, proof: Array.from({ length: 32 }, () => proof) },
      { resolveVerificationMethod: fragmentKeys },
    );
    expect(thirtyTwo.verified).toBe(true);
    expect(thirtyTwo.results).toHaveLength(32);
    // 500 chained proofs naming 500 each took minutes: every link canonicalizes the document with the proofs it names.
    const chain = Array.from({ length: 500 }, (_, i) => ({
      ...proof,
      id: `urn:p:${i}`,
      previousProof: Array.from({ length: 500 }, (_, j) => `urn:p:${j}`),
    }));
    expect(await verifyProofSet({ ...signed, proof: chain })).toMatchObject({
      verified: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/500 proofs; a verifier checks at most 32/),
      results: [],
    });
    expect(await verifyProofSet({ ...signed, proof: Array.from({ length: 33 }, () => proof) })).toMatchObject({
      verified: false,
      code: 'INVALID_INPUT',
    });
  });

  it('a resolver that throws, hangs, lies or answers garbage ends in a code, not an exception', async () => {
    const answers: [() => Promise<unknown>, string][] = [
      [
        async () => {
          throw new Error('boom');
        },
        'RESOLVER_ERROR',
      ],
      [
        () => {
          throw new TypeError('sync boom');
        },
        'RESOLVER_ERROR',
      ],
      [async () => null, 'RESOLVER_ERROR'],
      [async () => ({ controller: 'x' }), 'RESOLVER_ERROR'],
      [async () => ({ controller: 'x', publicKeyMultibase: 'zBad' }), 'INVALID_KEY'],
      [async () => ({ controller: 'x', publicKeyMultibase: generateKey().publicKeyMultibase }), 'INVALID_SIGNATURE'],
    ];
    for (const [answer, code] of answers) {
      const r = await verifyProof(signed, proof, { resolveVerificationMethod: answer as never });
      expect(r, String(answer)).toMatchObject({ verified: false, code });
    }
    const hanging = createResolver({ resolveDocument: () => new Promise(() => {}), timeoutMs: 30 });
    const key = generateKey({ controller: 'did:web:slow.example' });
    expect(
      await verifyProof(signed, { ...proof, verificationMethod: key.id }, { resolveVerificationMethod: hanging }),
    ).toMatchObject({ verified: false, code: 'RESOLVER_ERROR' });
    expect(
      (
        await verifyProof(signed, proof, {
          resolveVerificationMethod: localResolver({ acceptUnconfirmedFragmentKeys: true }),
        })
      ).verified,
    ).toBe(true);
    // Without the option an https fragment is not a key: it needs its controller document.
    expect(await verifyProof(signed, proof, { resolveVerificationMethod: localResolver() })).toMatchObject({
      verified: false,
      code: 'RESOLVER_ERROR',
    });
  });

  it('a document whose getters throw is refused, not crashed on', async () => {
    const hostile = new Proxy(signed, {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
    });
    expect((await verifyProof(hostile, proof)).verified).toBe(false);
    expect((await verifyProofSet(hostile)).verified).toBe(false);
  });
});

describe('VC-JWT: sign and verify (RS256, ES256, EdDSA)', () => {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:6f4a7b2e-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'https://uni.example/issuer', type: ['Profile'], name: 'Example University' },
    validFrom: '2025-01-01T10:00:00.500Z',
    validUntil: '2030-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'] },
  };

  for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
    it(`${alg}: claims per OB 3.0, verified through the issuer's JWKS (kid) and through the header jwk`, async () => {
      const key = await generateJwtKey(alg, { kid: 'https://uni.example/issuer#key-1' });
      const jwks = exportJwks([key]);
      const jwt = await signJwt(credential, { key, header: 'kid' });
      const [h, p] = jwt
        .split('.')
        .slice(0, 2)
        .map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()) as Json);
      expect(h).toEqual({ alg, typ: 'JWT', kid: 'https://uni.example/issuer#key-1' });
      expect(p).toMatchObject({
        iss: 'https://uni.example/issuer',
        jti: credential.id,
        sub: 'did:example:learner',
        nbf: Date.UTC(2025, 0, 1, 10) / 1000,
        exp: Date.UTC(2030, 0, 1) / 1000,
      });
      const r = await verifyJwt(jwt, { jwks });
      expect(r).toMatchObject({ verified: true, algorithm: alg, keyBound: true, credential: p });
      expect(await verifyJwt(jwt)).toMatchObject({ verified: false, code: 'RESOLVER_ERROR' });
      const other = await generateJwtKey(alg, { kid: 'https://uni.example/issuer#key-1' });
      expect(await verifyJwt(jwt, { jwks: exportJwks([other]) })).toMatchObject({
        verified: false,
        code: 'INVALID_SIGNATURE',
      });

      const embeddedJwk = await signJwt(credential, { key, header: 'jwk' });
      const header = JSON.parse(Buffer.from(embeddedJwk.split('.')[0]!, 'base64url').toString()) as { jwk: Json };
      expect(header.jwk).not.toHaveProperty('d');
      const selfAsserted = await verifyJwt(embeddedJwk);
      expect(selfAsserted.verified).toBe(true);
      expect(selfAsserted.keyBound).toBe(false); // nothing ties a header key to the issuer
      expect(await verifyJwt(embeddedJwk, { jwks })).toMatchObject({ verified: true, keyBound: true });
      expect(await verifyJwt(embeddedJwk, { jwks: exportJwks([other]) })).toMatchObject({
        verified: true,
        keyBound: false,
      });
    });
  }

  it('claims that contradict the credential are refused; absent ones are tolerated (official examples omit nbf, use aud)', async () => {
    const key = await generateJwtKey('ES256', { kid: 'k' });
    const jwks = exportJwks([key]);
    // signJwt derives the claims from the credential, so contradicting claims are forged with jose directly.
    const forged = (payload: Json) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'k' })
        .sign(key.privateKey!);
    for (const extra of [
      { iss: 'https://evil.example' },
      { jti: 'urn:uuid:other' },
      { sub: 'did:example:someone-else' },
      { nbf: 0 },
      { exp: 1 },
      { nbf: 'soon' },
    ]) {
      expect(await verifyJwt(await forged({ ...credential, ...extra }), { jwks }), JSON.stringify(extra)).toMatchObject(
        { verified: false, code: 'KEY_BINDING_MISMATCH' },
      );
    }
    expect((await verifyJwt(await forged({ ...credential, aud: 'https://verifier.example' }), { jwks })).verified).toBe(
      true,
    );
    expect((await verifyJwt(await forged(credential), { jwks })).verified).toBe(true);
    // VC 1.1 form: the credential inside `vc`.
    const v11 = await forged({
      vc: { ...credential, issuanceDate: '2020-01-01T00:00:00Z', validFrom: undefined },
      iss: 'https://uni.example/issuer',
      nbf: Date.UTC(2020, 0, 1) / 1000,
    });
    expect(await verifyJwt(v11, { jwks })).toMatchObject({ verified: true, credential: { id: credential.id } });
  });

  it('a VC 1.1 credential gets nbf/exp from issuanceDate/expirationDate, which verifyJwt compares', async () => {
    const key = await generateJwtKey('EdDSA', { kid: 'k' });
    const { validFrom: _f, validUntil: _u, ...rest } = credential;
    const v11 = {
      ...rest,
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      issuanceDate: '2021-06-01T00:00:00Z',
      expirationDate: '2031-06-01T00:00:00Z',
    };
    const jwt = await signJwt(v11, { key });
    const r = await verifyJwt(jwt, { jwks: exportJwks([key]) });
    expect(r).toMatchObject({
      verified: true,
      claims: { nbf: Date.UTC(2021, 5, 1) / 1000, exp: Date.UTC(2031, 5, 1) / 1000 },
    });
  });

  it('refuses other algorithms and typ values, private keys in the header, and a kid resolver that fails', async () => {
    const key = await generateJwtKey('ES256', { kid: 'k' });
    const hs = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'HS256', kid: 'k' })
      .sign(new Uint8Array(32));
    expect(await verifyJwt(hs)).toMatchObject({ verified: false, code: 'UNSUPPORTED_PROOF' });
    const typ = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', kid: 'k' })
      .sign(key.privateKey!);
    expect(await verifyJwt(typ, { jwks: exportJwks([key]) })).toMatchObject({ verified: false, code: 'INVALID_INPUT' });
    const leaky = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AA', d: 'AA' } as never })
      .sign((await generateKeyPair('EdDSA')).privateKey);
    expect(await verifyJwt(leaky)).toMatchObject({ verified: false, code: 'INVALID_KEY' });
    const jwt = await signJwt(credential, { key });
    expect(
      await verifyJwt(jwt, {
        resolveKey: async () => {
          throw new Error('offline');
        },
      }),
    ).toMatchObject({ verified: false, code: 'RESOLVER_ERROR' });
    expect(await verifyJwt(jwt, { resolveKey: async () => ({ kty: 'RSA', n: 'AA', e: 'AQAB' }) })).toMatchObject({
      verified: false,
      code: 'INVALID_KEY',
    });
    const notObject = await new CompactSign(new TextEncoder().encode('[1,2]'))
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .sign(key.privateKey!);
    expect(await verifyJwt(notObject, { jwks: exportJwks([key]) })).toMatchObject({
      verified: false,
      code: 'INVALID_INPUT',
    });
  });

  it('an Ed25519 Multikey signs EdDSA JWTs whose kid is its verification method, resolvable like a Data Integrity key', async () => {
    const mk = generateKey();
    const jwt = await signJwt({ ...credential, issuer: mk.controller }, { key: await jwtKeyFromEd25519(mk) });
    const resolve = localResolver();
    const r = await verifyJwt(jwt, {
      resolveKey: async (kid) => {
        const vm = await resolve(kid);
        expect(vm.controller).toBe(mk.controller);
        return { ...mk.toPublicJwk(), kid };
      },
    });
    expect(r).toMatchObject({ verified: true, algorithm: 'EdDSA' });
  });
});

describe('createProof: the signed document and the default `created`', () => {
  it('is the document spread with its proof (same members, same order, same values), the input unchanged', async () => {
    const key = generateKey();
    const sym = Symbol('kept');
    const docs: Json[] = [
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        name: 'N',
        credentialSubject: { id: 'did:example:1' },
        description: 'D',
      },
      // An own `proof` member keeps its place, even when undefined, as a spread keeps it.
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        proof: undefined,
        type: ['VerifiableCredential'],
        name: 'Z',
      },
      { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], [sym]: 'symbol' } as Json,
      // An inherited `proof` is no member of the document: the new proof goes last.
      Object.assign(Object.create({ proof: 'inherited' }) as Json, {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
      }),
    ];
    for (const cryptosuite of ['eddsa-jcs-2022', 'eddsa-rdfc-2022'] as const)
      for (const doc of docs) {
        const before = JSON.stringify(doc);
        const signed = await createProof(doc, { key, cryptosuite, created: '2025-01-01T00:00:00Z' });
        const expected = { ...doc, proof: signed.proof };
        expect(Reflect.ownKeys(signed)).toEqual(Reflect.ownKeys(expected));
        expect(signed).toStrictEqual(expected);
        expect(signed).not.toBe(doc);
        expect(JSON.stringify(doc)).toBe(before);
        expect(Object.getPrototypeOf(signed)).toBe(Object.prototype);
      }
  });

  it('`created` defaults to now, to the second, and follows the clock from one second to the next', async () => {
    const key = generateKey();
    const doc = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] };
    const createdAt = async (ms: number) => {
      vi.setSystemTime(ms);
      const signed = await createProof(doc, { key, cryptosuite: 'eddsa-jcs-2022' });
      return (signed.proof as Proof[])[0]!.created;
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const t = Date.UTC(2026, 11, 7, 7, 59, 59, 999);
      expect(await createdAt(t - 998)).toBe('2026-12-07T07:59:59Z');
      expect(await createdAt(t)).toBe('2026-12-07T07:59:59Z');
      expect(await createdAt(t + 1)).toBe('2026-12-07T08:00:00Z');
      expect(await createdAt(t - 3_600_000)).toBe('2026-12-07T06:59:59Z');
      expect(await createdAt(Date.UTC(1999, 0, 1))).toBe('1999-01-01T00:00:00Z');
    } finally {
      vi.useRealTimers();
    }
  });
});
