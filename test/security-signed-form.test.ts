import { beforeAll, describe, expect, it } from 'vitest';
import { cpuTime } from './helpers/cpu-time';
import fc from 'fast-check';
import { findDuplicateKey } from '../src/verify/duplicate-keys';
import { childPath } from '../src/errors';
import {
  award,
  bake,
  defineIssuer,
  generateKey,
  issue,
  jwtKeyFromEd25519,
  verify,
  type VerificationReport,
  type VerifyOptions,
} from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { canonicalizeRdf } from '../src/entries/jsonld';
import { createProof, signJwt } from '../src/entries/proof';
import { reiProgramme } from '../examples/rei-programme';

/**
 * An eddsa-rdfc-2022 proof signs the RDF graph, the verifier's checks read JSON keys. Each rewrite below keeps the
 * canonical N-Quads (asserted), so the signature still holds; without the compacted-form check, the revoked
 * credential would verify ("has no credentialStatus"), the expired one pass validity and the `@type` one stop being
 * treated as an Open Badge. Also: bounded @context entries, duplicate JSON keys.
 */

type Doc = Record<string, unknown>;
const CRED = 'https://www.w3.org/2018/credentials#';
const OB = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#';
const XSD_DATETIME = 'http://www.w3.org/2001/XMLSchema#dateTime';
const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const LIST = 'https://status.example.ee/lists/1';
const NOW = new Date('2025-06-01T00:00:00Z');
const AFTER_EXPIRY = new Date('2026-06-01T00:00:00Z');
/** Proofs are dated before NOW: a proof created after the verifier's clock is PROOF_NOT_YET_VALID. */
const SIGNED = '2025-01-01T00:00:00Z';

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
let revoked: Doc;
let expired: Doc;
let statusList: Doc;
const fetchStatusList = async (url: string): Promise<unknown> => {
  if (url !== LIST) throw new Error(`not stored: ${url}`);
  return statusList;
};
const revokedOptions: VerifyOptions = { now: NOW, fetchStatusList };
const expiredOptions: VerifyOptions = { now: AFTER_EXPIRY };

beforeAll(async () => {
  const bits = new Bitstring();
  bits.set(7, true);
  statusList = (await issue(
    await statusListCredential({ id: LIST, issuer: key.controller, purpose: 'revocation', bitstring: bits }),
    { key, created: SIGNED },
  )) as unknown as Doc;
  const credentialStatus = statusListEntry({ listCredentialId: LIST, index: 7, purpose: 'revocation' });
  revoked = (await issue(
    award(reiProgramme.parts[0]!, {
      issuer,
      learner: 'did:example:mari',
      grade: 'A',
      validFrom: '2025-01-01',
      credentialStatus,
    } as never),
    { key, created: SIGNED },
  )) as unknown as Doc;
  expired = (await issue(
    award(reiProgramme.parts[0]!, {
      issuer,
      learner: 'did:example:mari',
      grade: 'B',
      validFrom: '2025-01-01',
      validUntil: '2026-01-01',
    }),
    { key, created: SIGNED },
  )) as unknown as Doc;
});

const codes = (r: VerificationReport) => r.checks.filter((c) => c.status === 'fail').map((c) => c.code);
const clone = <T>(v: T): T => structuredClone(v);
function withoutProof(doc: Doc): Doc {
  const { proof: _proof, ...rest } = doc;
  return rest;
}
/** The same members, one renamed, in the same order (order does not matter to JSON-LD, but keeps diffs readable). */
function renamed(doc: Doc, from: string, to: string): Doc {
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k === from ? to : k, v]));
}
function withContext(doc: Doc, ...extra: unknown[]): Doc {
  return { ...doc, '@context': [...(doc['@context'] as unknown[]), ...extra] };
}
async function expectSameGraph(original: Doc, rewritten: Doc): Promise<void> {
  expect(await canonicalizeRdf(withoutProof(rewritten))).toBe(await canonicalizeRdf(withoutProof(original)));
}

describe('rewrites that keep the signed graph are refused (the verifier reads what was signed)', () => {
  it('the seeds are what they seem: one revoked, one expired, both Open Badges', async () => {
    expect(codes(await verify(revoked, revokedOptions))).toEqual(['REVOKED']);
    expect(codes(await verify(expired, expiredOptions))).toEqual(['EXPIRED']);
    expect((await verify(expired, { now: NOW })).verified).toBe(true);
  });

  const revokedAttacks: [string, (d: Doc) => Doc][] = [
    ['credentialStatus under its absolute IRI', (d) => renamed(d, 'credentialStatus', `${CRED}credentialStatus`)],
    [
      'credentialStatus under a compact IRI over an inline prefix',
      (d) => withContext(renamed(d, 'credentialStatus', 'vc:credentialStatus'), { vc: CRED }),
    ],
    [
      'credentialStatus under an inline alias',
      (d) =>
        withContext(renamed(d, 'credentialStatus', 'status'), {
          status: { '@id': `${CRED}credentialStatus`, '@type': '@id' },
        }),
    ],
    ['type written as @type', (d) => renamed(d, 'type', '@type')],
    ['type under an inline keyword alias', (d) => withContext(renamed(d, 'type', 'kind'), { kind: '@type' })],
    [
      'the OpenBadgeCredential type written as its IRI',
      (d) => ({ ...d, type: ['VerifiableCredential', `${OB}OpenBadgeCredential`] }),
    ],
    ['id written as @id', (d) => renamed(d, 'id', '@id')],
    [
      'a nested inline @context',
      (d) => ({
        ...d,
        credentialSubject: {
          '@context': { unused: 'https://attacker.example/unused' },
          ...(d.credentialSubject as Doc),
        },
      }),
    ],
    ['@base in an inline context', (d) => withContext(d, { '@base': 'https://attacker.example/' })],
  ];
  for (const [name, rewrite] of revokedAttacks) {
    it(`revoked credential, ${name}: same graph, signature holds, refused as NOT_COMPACTED`, async () => {
      const attack = rewrite(clone(revoked));
      await expectSameGraph(revoked, attack);
      const r = await verify(attack, revokedOptions);
      expect(r.verified).toBe(false);
      const refusal = r.checks.find((c) => c.code === 'NOT_COMPACTED');
      expect(refusal, JSON.stringify(r.checks)).toMatchObject({ check: 'contexts', status: 'fail' });
      expect(refusal!.message).toMatch(
        /^This credential has been rewritten in a form that hides what its signature covers: .+\. It is not accepted\.$/,
      );
      expect(refusal!.path).toMatch(/^\$/);
    });
  }

  const expiredAttacks: [string, (d: Doc) => Doc][] = [
    [
      'validUntil under its absolute IRI, as a typed value',
      (d) => ({
        ...renamed(d, 'validUntil', `${CRED}validUntil`),
        [`${CRED}validUntil`]: { '@value': d.validUntil, '@type': XSD_DATETIME },
      }),
    ],
    [
      'validUntil as an expanded typed value',
      (d) => ({ ...d, validUntil: { '@value': d.validUntil, '@type': XSD_DATETIME } }),
    ],
    [
      'validUntil under an inline alias',
      (d) =>
        withContext(renamed(d, 'validUntil', 'until'), {
          until: { '@id': `${CRED}validUntil`, '@type': XSD_DATETIME },
        }),
    ],
  ];
  for (const [name, rewrite] of expiredAttacks) {
    it(`expired credential, ${name}: same graph, refused as NOT_COMPACTED`, async () => {
      const attack = rewrite(clone(expired));
      await expectSameGraph(expired, attack);
      const r = await verify(attack, expiredOptions);
      expect(r.verified).toBe(false);
      expect(codes(r)).toEqual(['NOT_COMPACTED']);
    });
  }

  it('paths point at what was rewritten', async () => {
    const r = await verify(renamed(clone(revoked), 'credentialStatus', `${CRED}credentialStatus`), revokedOptions);
    expect(r.checks.find((c) => c.code === 'NOT_COMPACTED')?.path).toBe(`$["${CRED}credentialStatus"]`);
    const nested = clone(revoked);
    (nested.credentialSubject as Doc).achievement = renamed(
      (nested.credentialSubject as Doc).achievement as Doc,
      'name',
      'https://schema.org/name',
    );
    expect((await verify(nested, revokedOptions)).checks.find((c) => c.code === 'NOT_COMPACTED')?.path).toBe(
      '$.credentialSubject.achievement["https://schema.org/name"]',
    );
  });

  it('the same rule for eddsa-jcs-2022 and VC-JWT: issue() will not sign a rewritten credential, verify() refuses one signed anyway', async () => {
    const unsigned = withoutProof(renamed(clone(revoked), 'credentialStatus', `${CRED}credentialStatus`));
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const) {
      await expect(issue(unsigned, { key, format })).rejects.toMatchObject({
        code: 'NOT_COMPACTED',
        problems: [{ path: `$["${CRED}credentialStatus"]` }],
      });
    }
    const jcs = await createProof(unsigned, { key, cryptosuite: 'eddsa-jcs-2022' });
    expect(codes(await verify(jcs, revokedOptions))).toEqual(['NOT_COMPACTED']);
    const jwt = await signJwt(withoutProof(renamed(clone(revoked), 'type', '@type')), {
      key: await jwtKeyFromEd25519(key),
    });
    expect(codes(await verify(jwt, revokedOptions))).toEqual(['NOT_COMPACTED']);
  });

  it('still accepted: language-tagged names, inline contexts that only add new terms, a proof repeating the context', async () => {
    const multilingual: Doc = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: key.controller,
      validFrom: '2025-01-01T00:00:00Z',
      name: [
        { '@value': 'Kriitiline mõtlemine', '@language': 'et' },
        { '@value': 'Critical thinking', '@language': 'en', '@direction': 'ltr' },
      ],
      credentialSubject: { id: 'did:example:mari' },
    };
    const extra = withContext(withoutProof(clone(expired)), { courseCode: 'https://www.ut.ee/ns#courseCode' });
    extra.courseCode = 'FLFI.00.123';
    for (const doc of [multilingual, extra]) {
      for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const) {
        const signed = await issue(doc, { key, format, created: SIGNED }).catch((e: { message: string }) =>
          expect.fail(e.message),
        );
        expect((await verify(signed, { now: NOW })).verified).toBe(true);
      }
    }
  });
});

describe('embedded credentials are documents of their own, checked in their own contexts', () => {
  it('a revoked credential moving its credentialStatus into an @included block of its endorsement keeps the graph and is refused, also with verifyEndorsements: false', async () => {
    const endorsement = await issue(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2', OB_CONTEXT],
        id: 'urn:uuid:0d2c5a4e-8d59-4f5c-9a7e-3c1f2b6a9e11',
        type: ['VerifiableCredential', 'EndorsementCredential'],
        issuer: { id: key.controller, type: ['Profile'], name: 'University of Tartu' },
        validFrom: '2025-01-01T00:00:00Z',
        name: 'Endorsement of the course',
        credentialSubject: {
          id: ((revoked.credentialSubject as Doc).achievement as Doc).id,
          type: ['EndorsementSubject'],
          endorsementComment: 'Well run.',
        },
      },
      { key, created: SIGNED },
    );
    const endorsed = (await issue(
      { ...withoutProof(clone(revoked)), endorsement: [endorsement] },
      { key, created: SIGNED },
    )) as unknown as Doc;
    expect(codes(await verify(endorsed, revokedOptions))).toEqual(['REVOKED']);
    // The attack: credentialStatus leaves the top level for an @included node about the credential inside the
    // endorsement. Same N-Quads: the credential's proof still holds.
    const attack = clone(endorsed);
    const status = attack.credentialStatus;
    delete attack.credentialStatus;
    (attack.endorsement as Doc[])[0]!['@included'] = [{ id: attack.id, [`${CRED}credentialStatus`]: status }];
    await expectSameGraph(endorsed, attack);
    for (const options of [{ ...revokedOptions, verifyEndorsements: false }, revokedOptions]) {
      const r = await verify(attack, options);
      expect(r.verified).toBe(false);
      expect(r.checks.find((c) => c.status === 'fail')).toMatchObject({
        check: 'contexts',
        code: 'NOT_COMPACTED',
        path: '$.endorsement[0]["@included"]',
      });
    }
  });
});

describe('language maps (ELM prefLabel) are read as languages, in their compacted form', () => {
  const eqf = (doc: Doc) => ((doc.credentialSubject as Doc).achievement as Doc).eqfLevel as Doc;
  it('capitalised languages and value objects keep the graph and are refused; a language "id" (Indonesian) is still accepted', async () => {
    expect(eqf(expired).prefLabel).toEqual({ en: 'Level 6' });
    const capitals = clone(expired);
    eqf(capitals).prefLabel = { EN: 'Level 6' };
    const listed = clone(expired);
    eqf(listed).prefLabel = [{ '@value': 'Level 6', '@language': 'en' }];
    for (const [attack, path] of [
      [listed, ''],
      [capitals, '.EN'],
    ] as const) {
      await expectSameGraph(expired, attack);
      const r = await verify(attack, { now: NOW });
      expect(r.verified).toBe(false);
      expect(r.checks.find((c) => c.status === 'fail')).toMatchObject({
        code: 'NOT_COMPACTED',
        path: `$.credentialSubject.achievement.eqfLevel.prefLabel${path}`,
      });
    }
    const indonesian = withoutProof(clone(expired));
    eqf(indonesian).prefLabel = { en: 'Level 6', id: 'Tingkat 6' };
    const signed = await issue(indonesian, { key, created: SIGNED });
    expect((await verify(signed, { now: NOW })).verified).toBe(true);
  });
});

describe('@context entries are bounded, and refused fast', () => {
  it('1,000 repeated OB context URLs are refused in under 100 ms (they took 16.6 s), with a clear message', async () => {
    const ctx = revoked['@context'] as string[];
    const attack = {
      ...clone(revoked),
      '@context': [ctx[0], ...Array.from({ length: 1000 }, () => OB_CONTEXT), ...ctx.slice(1)],
    };
    const { result: r, ms: took } = await cpuTime(() => verify(attack, revokedOptions));
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.status === 'fail')).toMatchObject({
      check: 'contexts',
      code: 'CANONICALIZATION_LIMIT',
      path: '$["@context"]',
    });
    expect(r.checks.find((c) => c.status === 'fail')!.message).toMatch(/lists 1003 contexts; at most 16/);
    expect(took).toBeLessThan(100);
  });

  it('100,000 empty {} entries, a context named twice, and too many nested entries are refused too', async () => {
    const ctx = revoked['@context'] as string[];
    const empties = { ...clone(revoked), '@context': [...ctx, ...Array.from({ length: 100_000 }, () => ({}))] };
    const refusedEmpties = await cpuTime(() => verify(empties, revokedOptions));
    expect(codes(refusedEmpties.result)).toEqual(['CANONICALIZATION_LIMIT']);
    // The bound tells a refusal from the seconds the unbounded walk took; reading the 100,000 objects once is
    // itself tens of milliseconds of CPU on a slow host (115 ms once on Node 22 in CI), so it is not 100.
    expect(refusedEmpties.ms).toBeLessThan(250);
    const twice = await verify({ ...clone(revoked), '@context': [...ctx, OB_CONTEXT] }, revokedOptions);
    expect(twice.checks.find((c) => c.status === 'fail')).toMatchObject({
      code: 'CANONICALIZATION_LIMIT',
      path: '$["@context"][3]',
    });
    const nested = clone(revoked);
    (nested.credentialSubject as Doc)['@context'] = Array.from({ length: 300 }, () => ({}));
    expect(codes(await verify(nested, revokedOptions))).toEqual(['CANONICALIZATION_LIMIT']);
    // Inline terms are bounded for credentials (19,000 unused ones made a valid credential take 2 s to verify).
    const terms = Object.fromEntries(
      Array.from({ length: 19_000 }, (_, i) => [`t${i}`, `https://attacker.example/t${i}`]),
    );
    const { result: manyTerms, ms: termsMs } = await cpuTime(() =>
      verify({ ...clone(revoked), '@context': [...ctx, terms] }, revokedOptions),
    );
    expect(termsMs).toBeLessThan(250);
    expect(manyTerms.checks.find((c) => c.status === 'fail')).toMatchObject({
      code: 'CANONICALIZATION_LIMIT',
      message: expect.stringMatching(/inline contexts define more than 256 terms/),
    });
    // canonicalizeRdf() and issue() are bounded the same way.
    await expect(canonicalizeRdf(withoutProof(empties))).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
    await expect(issue(withoutProof(empties), { key })).rejects.toMatchObject({ code: 'CANONICALIZATION_LIMIT' });
  });
});

describe('duplicate JSON keys are refused at parse', () => {
  const text = () => JSON.stringify(revoked);
  it('a repeated member name at the top level, nested, or escaped differently', async () => {
    // JSON.parse keeps the last: a second credentialStatus pointing at an unset index would have been the one read.
    const top = text().replace('"credentialStatus":', '"credentialStatus":{"id":"x"},"credentialStatus":');
    const r = await verify(top, revokedOptions);
    expect(r.verified).toBe(false);
    expect(r.checks).toEqual([
      expect.objectContaining({ check: 'parse', status: 'fail', code: 'DUPLICATE_KEY', path: '$.credentialStatus' }),
    ]);
    const nested = text().replace('"achievementType":', '"achievementType":"Course","achievementType":');
    expect((await verify(nested)).checks[0]).toMatchObject({
      code: 'DUPLICATE_KEY',
      path: '$.credentialSubject.achievement.achievementType',
    });
    const escaped = text().replace('"validFrom":', '"valid\\u0046rom":"2020-01-01T00:00:00Z","validFrom":');
    expect((await verify(escaped)).checks[0]).toMatchObject({ code: 'DUPLICATE_KEY', path: '$.validFrom' });
    const inArray = text().replace('"targetName":', '"targetName":"x","targetName":');
    expect((await verify(inArray)).checks[0]).toMatchObject({
      code: 'DUPLICATE_KEY',
      path: '$.credentialSubject.achievement.alignment[0].targetName',
    });
  });

  it('in a VC-JWT payload and in a baked badge', async () => {
    const jwt = await issue(withoutProof(clone(expired)), { key, format: 'vc-jwt' });
    const [h, p, s] = jwt.split('.');
    const payload = Buffer.from(p!, 'base64url')
      .toString('utf8')
      .replace('"validUntil":', '"validUntil":"2099-01-01T00:00:00Z","validUntil":');
    const forged = `${h}.${Buffer.from(payload).toString('base64url')}.${s}`;
    expect((await verify(forged)).checks[0]).toMatchObject({
      check: 'parse',
      code: 'DUPLICATE_KEY',
      path: '$.validUntil',
    });
    // The header too: two `alg` members would leave the algorithm to whichever the reader keeps.
    const header = Buffer.from(h!, 'base64url').toString('utf8').replace('"alg":', '"alg":"none","alg":');
    expect((await verify(`${Buffer.from(header).toString('base64url')}.${p}.${s}`)).checks[0]).toMatchObject({
      check: 'parse',
      code: 'DUPLICATE_KEY',
      path: '$.alg',
    });
    const svg = bake('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', revoked);
    const doubled = svg.replace('"credentialStatus":', '"credentialStatus":{},"credentialStatus":');
    expect(doubled).not.toBe(svg);
    expect((await verify(doubled)).checks[0]).toMatchObject({ code: 'DUPLICATE_KEY', path: '$.credentialStatus' });
  });

  it('equal names in different objects, and quotes and backslashes inside strings, are not duplicates', async () => {
    const doc = withoutProof(clone(expired));
    doc.description = 'a "quoted" \\ text with "name": "x", {"name": 1}';
    const signed = await issue(doc, { key, created: SIGNED });
    expect((await verify(JSON.stringify(signed, null, 2), { now: NOW })).verified).toBe(true);
  });
});

describe('findDuplicateKey', () => {
  const pretty = (v: unknown, spaced: boolean) =>
    spaced ? JSON.stringify(v, null, 2).replace(/": /g, '" : ') : JSON.stringify(v);

  it('finds no duplicate in any JSON.stringify output (compact, indented, spaces before colons), with or without the parsed value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, spaced) => {
        const text = pretty(value, spaced);
        expect(findDuplicateKey(text)).toBeUndefined();
        expect(findDuplicateKey(text, JSON.parse(text))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('finds a name written twice anywhere, with its path, also when the parsed value is given', () => {
    const member = fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { maxLength: 5, selector: ([k]) => k }),
        member,
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        fc.boolean(),
        (others, [name, value], again, inArray, spaced) => {
          const members = [...others.filter(([k]) => k !== name), [name, value], [name, again]] as [string, unknown][];
          const object = `{${members.map(([k, v]) => `${JSON.stringify(k)}${spaced ? ' : ' : ':'}${JSON.stringify(v)}`).join(',')}}`;
          const text = inArray ? `{"outer":[1,${object}]}` : object;
          const expected = childPath(inArray ? '$.outer[1]' : '$', name);
          expect(findDuplicateKey(text)).toBe(expected);
          expect(findDuplicateKey(text, JSON.parse(text))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('compares names after unescaping, and skips strings with quotes, backslashes and ":" inside', () => {
    expect(findDuplicateKey('{"a":1,"\\u0061":2}'.replace('\\\\', '\\'))).toBe('$.a');
    const tricky = '{"k":"a\\":b","v":"x\\\\","w":{"k":1}}';
    expect(JSON.parse(tricky)).toEqual({ k: 'a":b', v: 'x\\', w: { k: 1 } });
    expect(findDuplicateKey(tricky)).toBeUndefined();
    expect(findDuplicateKey(tricky, JSON.parse(tricky))).toBeUndefined();
  });
});

describe('issue 19: a context entry written {"@context": {…}} is named a malformed context, not a rewrite', () => {
  it('verify and issue refuse it (NOT_COMPACTED) with a message that says the @context is malformed', async () => {
    const doc = clone(expired);
    doc['@context'] = [
      ...(doc['@context'] as unknown[]),
      { '@context': { extraTerm: 'https://example.org/extraTerm' } },
    ];
    const r = await verify(doc, expiredOptions);
    const failed = r.checks.find((c) => c.status === 'fail')!;
    expect(failed).toMatchObject({ check: 'contexts', code: 'NOT_COMPACTED' });
    expect(failed.message).toMatch(
      /has a malformed @context: the entry is a context document \(\{"@context": \{…\}\}\)/,
    );
    expect(failed.message).not.toMatch(/rewritten/);
    expect(failed.path).toMatch(/^\$\["@context"\]\[\d+\]\["@context"\]$/);
    // An attack through the context is still named one.
    const alias = clone(expired);
    alias['@context'] = [...(alias['@context'] as unknown[]), { '@vocab': 'https://attacker.example/' }];
    expect((await verify(alias, expiredOptions)).checks.find((c) => c.status === 'fail')!.message).toMatch(/rewritten/);
  });
});
