import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import {
  MicrocredError,
  award,
  type ErrorCode,
  bake,
  defineIssuer,
  didWebDocument,
  didWebUrl,
  exportJwks,
  generateJwtKey,
  generateKey,
  issue,
  unbake,
  verify,
  type IssueFormat,
} from '../src';
import { createProof } from '../src/entries/proof';
import { reiProgramme } from '../examples/rei-programme';
import { fixturePath } from './helpers/fixtures';

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0]!, {
  issuer,
  learner: { email: 'mari@example.ee' },
  grade: 'B',
  awardedOn: '2024-01-26',
});

/**
 * What issue() says for each W3C VCDM 2.0 "fail" input: the error's code and every problem as [code, JSON path].
 * Two inputs fail only inside JSON-LD processing (a protected term redefined, a type mapped to a non-IRI), which
 * reports PROOF_GENERATION_ERROR at `$` since no pre-signing check looks at inline term definitions.
 */
const REFUSALS: Record<string, [code: ErrorCode, problems: [code: ErrorCode, path: string][]]> = {
  'credential-context-combo3-fail.json': [
    'INVALID_ELEMENT',
    [
      ['INVALID_ELEMENT', '$["@context"][1]'],
      ['UNKNOWN_CONTEXT', '$["@context"][1]'],
    ],
  ],
  'credential-context-combo4-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$["@context"][1]']]],
  'credential-evidence-missing-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.evidence.type']]],
  'credential-id-multi-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.id']]],
  'credential-id-nonidentifier-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.id']]],
  'credential-id-not-url-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.id']]],
  'credential-id-subject-multi-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialSubject.id']]],
  'credential-issuer-no-url-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.issuer']]],
  'credential-issuer-null-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.issuer']]],
  'credential-issuer-object-id-no-url-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.issuer.id']]],
  'credential-issuer-object-id-null-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.issuer.id']]],
  'credential-missing-base-context-fail-or-inject.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$["@context"][0]']]],
  'credential-missing-required-type-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.type']]],
  'credential-no-context-fail-or-inject.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$["@context"]']]],
  'credential-no-issuer-fail.json': [
    'MISSING_ELEMENT',
    [
      ['MISSING_ELEMENT', '$.issuer'],
      ['INVALID_ELEMENT', '$.credentialSubject'],
    ],
  ],
  'credential-no-subject-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.credentialSubject']]],
  'credential-no-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.type']]],
  'credential-proof-missing-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.proof.type']]],
  'credential-redef-type-fail.json': ['PROOF_GENERATION_ERROR', [['PROOF_GENERATION_ERROR', '$']]],
  'credential-redef-type2-fail.json': ['PROOF_GENERATION_ERROR', [['PROOF_GENERATION_ERROR', '$']]],
  'credential-refresh-no-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.refreshService.type']]],
  'credential-schema-no-id-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialSchema.id']]],
  'credential-schema-no-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.credentialSchema.type']]],
  'credential-schema-non-url-id-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialSchema.id']]],
  'credential-status-missing-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.credentialStatus.type']]],
  'credential-status-multiple-id-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialStatus.id']]],
  'credential-status-nonurl-id-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialStatus.id']]],
  'credential-status-type-nonurl-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialStatus.type']]],
  'credential-subject-multiple-empty-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialSubject[1]']]],
  'credential-subject-no-claims-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.credentialSubject']]],
  'credential-termsofuse-missing-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.termsOfUse.type']]],
  'credential-termsofuse-no-type-fail.json': ['MISSING_ELEMENT', [['MISSING_ELEMENT', '$.termsOfUse.type']]],
  'credential-type-mapped-nonurl-fail.json': ['PROOF_GENERATION_ERROR', [['PROOF_GENERATION_ERROR', '$']]],
  'credential-type-unmapped-fail.json': ['NOT_COMPACTED', [['NOT_COMPACTED', '$["@context"][1]["@vocab"]']]],
  'credential-validUntil-validFrom-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.validUntil']]],
  'credential-validfrom-invalid-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.validFrom']]],
  'credential-validuntil-invalid-fail.json': ['INVALID_ELEMENT', [['INVALID_ELEMENT', '$.validUntil']]],
  'names-and-descriptions/credential-description-extra-prop-en-fail.json': [
    'INVALID_ELEMENT',
    [
      ['INVALID_ELEMENT', '$.description'],
      ['NOT_COMPACTED', '$.description'],
    ],
  ],
  'names-and-descriptions/credential-name-extra-prop-en-fail.json': [
    'INVALID_ELEMENT',
    [
      ['INVALID_ELEMENT', '$.name'],
      ['NOT_COMPACTED', '$.name'],
    ],
  ],
  'names-and-descriptions/issuer-description-extra-prop-en-fail.json': [
    'INVALID_ELEMENT',
    [
      ['INVALID_ELEMENT', '$.issuer.description'],
      ['NOT_COMPACTED', '$.issuer.description'],
    ],
  ],
  'names-and-descriptions/issuer-name-extra-prop-en-fail.json': [
    'INVALID_ELEMENT',
    [
      ['INVALID_ELEMENT', '$.issuer.name'],
      ['NOT_COMPACTED', '$.issuer.name'],
    ],
  ],
};

describe('issue() refuses what a strict verifier would reject', () => {
  const examples = {
    'https://www.w3.org/ns/credentials/examples/v2': {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
    },
  };
  const dir = fixturePath('vcdm2-inputs');
  const files = [
    ...fs.readdirSync(dir),
    ...fs.readdirSync(path.join(dir, 'names-and-descriptions')).map((f) => `names-and-descriptions/${f}`),
  ].filter((f) => /(^|\/)(credential|issuer)-.*\.json$/.test(f));
  /** Fill in what the W3C suite's issuer fills in: its own issuer id and real dates for placeholders. */
  const prepare = (file: string, doc: Record<string, unknown>) => {
    const out = { ...doc };
    if (!('issuer' in out) && !/issuer/.test(path.basename(file))) out.issuer = key.controller;
    if (typeof out.issuer === 'object' && out.issuer !== null && !('id' in out.issuer))
      out.issuer = { ...out.issuer, id: key.controller };
    for (const k of ['validFrom', 'validUntil']) {
      if (out[k] === 'PAST DATE') out[k] = '2020-01-01T00:00:00Z';
      if (out[k] === 'FUTURE DATE') out[k] = '2099-01-01T00:00:00Z';
    }
    return out;
  };
  for (const file of files) {
    const doc = prepare(file, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>);
    if (file.endsWith('-ok.json')) {
      it(`signs ${file}`, async () => {
        const signed = await issue(doc, { key, contexts: examples, allowForeignController: true });
        expect((signed.proof as unknown[]).length).toBeGreaterThanOrEqual(1);
      });
    } else {
      it(`refuses ${file} with a typed error naming the fault`, async () => {
        const expected = REFUSALS[file];
        expect(expected, `add the expected code and problems of ${file} to REFUSALS`).toBeDefined();
        const err = await issue(doc, { key, contexts: examples, allowForeignController: true }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(MicrocredError);
        const [code, problems] = expected!;
        expect((err as MicrocredError).code).toBe(code);
        // Every problem with its code and JSON path, in order: a refusal for some other reason (or at another place) fails.
        expect((err as MicrocredError).problems.map((p) => [p.code, p.path])).toEqual(problems);
        // A person reads the message: it names each path at fault.
        for (const [, at] of problems) expect((err as MicrocredError).message).toContain(at === '$' ? 'JSON-LD' : at);
      });
    }
  }

  it("refuses a key that is not the issuer's, and an EU credential missing an element", async () => {
    const stranger = generateKey();
    await expect(issue(credential, { key: stranger })).rejects.toMatchObject({ code: 'INVALID_KEY' });
    const broken = structuredClone(credential) as unknown as {
      credentialSubject: { achievement: Record<string, unknown> };
    };
    delete broken.credentialSubject.achievement.learningOutcome;
    await expect(issue(broken, { key })).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
  });

  it.each(['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const)(
    '%s: refuses an undefined term (JSON-LD safe mode) that the schema lets through',
    async (format) => {
      const withOddTerm = structuredClone(credential) as unknown as { credentialSubject: Record<string, unknown> };
      withOddTerm.credentialSubject.shoeSize = 42;
      await expect(issue(withOddTerm, { key, format })).rejects.toMatchObject({ code: 'SAFE_MODE_VIOLATION' });
    },
  );
});

describe('verify(): every format round-trips, and any change breaks it', () => {
  const formats: IssueFormat[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'];

  it('verifies our credentials in all three formats, and baked into PNG and SVG', async () => {
    for (const format of formats) {
      const signed = await issue(credential, { key, format });
      const report = await verify(signed as never);
      expect(report.verified, `${format}: ${JSON.stringify(report.checks.filter((c) => c.status === 'fail'))}`).toBe(
        true,
      );
      expect(report.euElements?.missingMandatory).toEqual([]);
    }
    const jwt = await issue(credential, { key, format: 'vc-jwt' });
    const png = bake(fs.readFileSync(fixturePath('ob3', '1edtech-validator-fixtures', 'simple-json.png')), jwt, {
      replace: true,
    });
    expect((await unbake(png)).format).toBe('jwt');
    expect((await verify(png)).verified).toBe(true);
    const svg = bake(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
      await issue(credential, { key }),
    );
    const fromSvg = await verify(svg);
    expect(fromSvg.source).toBe('svg');
    expect(fromSvg.verified).toBe(true);
  });

  it('VC-JWT with RS256, ES256 and EdDSA keys; the issuer JWKS binds the key', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const jwtKey = await generateJwtKey(alg, { kid: `${key.controller}#jwt-${alg}` });
      const jwt = await issue(credential, { key: jwtKey, format: 'vc-jwt' });
      const withJwks = await verify(jwt, { jwks: exportJwks([jwtKey]) });
      expect(withJwks.verified, alg).toBe(true);
      expect(withJwks.checks.find((c) => c.check === 'keyBinding')?.status).toBe('pass');
      const noKey = await verify(jwt);
      expect(noKey.verified).toBe(false);
      const [h, p, s] = jwt.split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
      payload.name = 'Forged';
      const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      expect((await verify(forged, { jwks: exportJwks([jwtKey]) })).verified).toBe(false);
    }
  }, 30_000);

  it('changing, adding or removing any signed value makes it unverified (generated mutations, every format)', async () => {
    const signedRdfc = await issue(credential, { key });
    const signedJcs = await issue(credential, { key, format: 'eddsa-jcs-2022' });
    const paths = leafPaths(credential);
    expect(paths.length).toBeGreaterThan(50);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('change', 'remove', 'add'),
        fc.constantFrom(0, 1, 2),
        async (p, op, which) => {
          const base = which === 0 ? signedRdfc : which === 1 ? signedJcs : undefined;
          let input: unknown;
          if (base) input = mutate(structuredClone(base) as never, p, op);
          else {
            const jwt = await issue(credential, { key, format: 'vc-jwt' });
            const [h, payload, s] = jwt.split('.');
            const body = mutate(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as never, p, op);
            input = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
          }
          const report = await verify(input as never);
          expect(report.verified).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('an unknown context fails with UNKNOWN_CONTEXT and makes no network call', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const signed = await issue(credential, { key });
    const doc = {
      ...signed,
      '@context': [...(signed['@context'] as string[]), 'https://attacker.example/context.jsonld'],
    };
    const report = await verify(doc);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.check === 'contexts')).toMatchObject({
      status: 'fail',
      code: 'UNKNOWN_CONTEXT',
    });
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it('a credential with more than 32 proofs is refused without checking them (each costs a canonicalization)', async () => {
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
      const signed = (await issue(credential, { key, format })) as unknown as Record<string, unknown> & {
        proof: unknown[];
      };
      const many = await verify({ ...signed, proof: Array.from({ length: 3000 }, () => signed.proof[0]) });
      expect(many.verified).toBe(false);
      expect(many.checks.find((c) => c.check === 'proof')).toMatchObject({
        status: 'fail',
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/3000 proofs; a verifier checks at most 32/),
      });
      // Up to the limit, a set of the same valid proof still verifies.
      expect(
        (await verify({ ...signed, proof: Array.from({ length: 32 }, () => signed.proof[0]) })).verified,
        format,
      ).toBe(true);
    }
  });

  it('verifies up to 16 endorsements and refuses more without verifying any; 200,000 of them do not make it throw', async () => {
    const signed = (await issue(credential, { key, format: 'eddsa-jcs-2022' })) as unknown as Record<string, unknown>;
    const endorsementsCheck = async (doc: Record<string, unknown>) =>
      (await verify(doc)).checks.find((c) => c.check === 'endorsements');
    const junk = { type: ['VerifiableCredential', 'EndorsementCredential'] };
    expect(await endorsementsCheck({ ...signed, endorsement: [junk, junk] })).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^2 of 2 endorsement/),
    });
    expect(await endorsementsCheck({ ...signed, endorsement: Array(17).fill(junk) })).toMatchObject({
      status: 'fail',
      code: 'INVALID_ENDORSEMENT',
      message: expect.stringMatching(/17 endorsements; a verifier checks at most 16, and checked none/),
    });
    // 200,000 of them: gathered without a spread, which would overflow the stack.
    const many = await verify({ ...signed, endorsementJwt: Array(200_000).fill('a.b.c') });
    expect(many.verified).toBe(false);
    expect(many.checks.find((c) => c.check === 'endorsements')).toMatchObject({
      status: 'fail',
      code: 'INVALID_ENDORSEMENT',
    });
  });

  it('asks resolveDocument once per URL and for at most 8 URLs per verification (maxResolvedDocuments)', async () => {
    // Junk proofs now fail before the budget matters (every proof must hold, and the first failure stops the rest), so
    // the budget is shown with proofs that are really signed by 12 did:web keys, the first 8 of them twice.
    let doc = (await issue(credential, { key, format: 'eddsa-jcs-2022' })) as unknown as Record<string, unknown>;
    const hosts = Array.from({ length: 12 }, (_, i) => generateKey({ controller: `did:web:host${i}.example` }));
    for (const k of [...hosts, ...hosts.slice(0, 8)])
      doc = await createProof(doc, { key: k, cryptosuite: 'eddsa-jcs-2022' });
    const asked: string[] = [];
    const docs = new Map(hosts.map((k) => [didWebUrl(k.controller), didWebDocument(k, k.controller)]));
    const resolveDocument = async (url: string) => (asked.push(url), docs.get(url));
    const report = await verify(doc, { resolveDocument });
    expect(asked).toEqual(Array.from({ length: 8 }, (_, i) => `https://host${i}.example/.well-known/did.json`));
    expect(report.checks.find((c) => c.check === 'proof')?.message).toMatch(
      /already asked for 8 documents \(maxResolvedDocuments\)/,
    );
    asked.length = 0;
    await verify(doc, { resolveDocument, maxResolvedDocuments: 2 });
    expect(asked).toHaveLength(2);
  });

  it('safe mode is enforced on the whole document, proofs included', async () => {
    const signed = await issue(credential, { key });
    const inBody = { ...signed, notATerm: 'x' };
    const r1 = await verify(inBody);
    expect(r1.checks.find((c) => c.check === 'contexts')).toMatchObject({
      status: 'fail',
      code: 'SAFE_MODE_VIOLATION',
    });
    const inProof = { ...signed, proof: [{ ...signed.proof[0]!, notATerm: 'x' }] };
    const r2 = await verify(inProof);
    expect(r2.checks.find((c) => c.check === 'contexts')).toMatchObject({
      status: 'fail',
      code: 'SAFE_MODE_VIOLATION',
    });
    expect(r2.verified).toBe(false);
    // The report still lists the checks in pipeline order.
    const ok = await verify(signed);
    expect(ok.checks.map((c) => c.check).slice(0, 4)).toEqual(['parse', 'contexts', 'schema', 'proof']);
  });

  it('never throws for garbage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue(), fc.uint8Array({ maxLength: 64 })), async (junk) => {
        const report = await verify(junk as never);
        expect(report.verified).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('expired, not yet valid and revoked credentials are reported as such, with an injectable clock', async () => {
    const c = award(reiProgramme.parts[0]!, {
      issuer,
      learner: 'did:example:l',
      grade: 'A',
      validFrom: '2025-01-01',
      validUntil: '2026-01-01',
    });
    // Signed when it was awarded: a verifier's clock set before the proof's `created` would see a proof from the future.
    const signed = await issue(c, { key, created: '2025-01-01T00:00:00Z' });
    expect((await verify(signed, { now: new Date('2025-06-01T00:00:00Z') })).verified).toBe(true);
    expect(
      (await verify(signed, { now: new Date('2026-06-01T00:00:00Z') })).checks.find((x) => x.check === 'validity')
        ?.code,
    ).toBe('EXPIRED');
    expect(
      (await verify(signed, { now: new Date('2024-06-01T00:00:00Z') })).checks.find((x) => x.check === 'validity')
        ?.code,
    ).toBe('NOT_YET_VALID');
  });
});

type Json = Record<string, unknown> | unknown[];

/** Paths to every leaf value of the credential (the signed data). */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  return [prefix];
}

function mutate(doc: Json, p: (string | number)[], op: 'change' | 'remove' | 'add'): Json {
  let node: Json = doc;
  for (const k of p.slice(0, -1)) node = (node as Record<string | number, Json>)[k]!;
  const last = p[p.length - 1]!;
  const holder = node as Record<string | number, unknown>;
  if (op === 'change') {
    const v = holder[last];
    holder[last] =
      typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 1 : typeof v === 'boolean' ? !v : 'changed';
  } else if (op === 'remove') {
    if (Array.isArray(holder)) holder.splice(last as number, 1);
    else delete holder[last];
  } else if (Array.isArray(holder)) holder.push(typeof holder[0] === 'string' ? 'extra' : holder[0]);
  else holder.name = `${String(holder.name ?? '')}added`;
  return doc;
}
