/**
 * Red team: a holder attacks verifyClr, verifyStack and the relatedResource check. Tests marked "hole" failed before
 * the fix named in their commit; the "held" ones keep what held from regressing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { didWebDocument, didWebUrl, generateKey, issue, verify, verifyClr, verifyStack } from '../src';
import { digestMultibaseOf } from '../src/stack/digest';

type Json = Record<string, unknown>;
const V2 = 'https://www.w3.org/ns/credentials/v2';
const CLR = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
const OB = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const issuerKey = generateKey();
const learner = generateKey().controller;
const NOW = new Date('2026-03-01T12:00:00Z');

function plain(issuer: string, extra: Json = {}): Json {
  return {
    '@context': [V2],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: learner },
    ...extra,
  };
}

/** n credentials, each by its own did:web issuer (whose document the verifier would have to fetch). */
async function fromDistinctHosts(n: number): Promise<{ credentials: Json[]; docs: Map<string, unknown> }> {
  const docs = new Map<string, unknown>();
  const credentials: Json[] = [];
  for (let i = 0; i < n; i++) {
    const did = `did:web:host${i}.example`;
    const key = generateKey({ controller: did });
    docs.set(didWebUrl(did), didWebDocument(key, did));
    credentials.push((await issue(plain(did), { key, created: '2026-02-01T00:00:00Z' })) as unknown as Json);
  }
  return { credentials, docs };
}

describe('red team: relatedResource fetches', () => {
  it('hole: fetchResource is never handed a loopback, private, link-local or file URL the credential names', async () => {
    const bytes = new TextEncoder().encode('syllabus');
    const digestMultibase = digestMultibaseOf(bytes);
    const ids = [
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:8080/admin',
      'http://[::1]/',
      'http://10.0.0.1/x',
      'file:///etc/passwd',
      'https://www.ut.ee/syllabus',
    ];
    const c = await issue(
      plain(issuerKey.controller, { relatedResource: ids.map((id) => ({ id, digestMultibase })) }),
      { key: issuerKey, created: '2026-02-01T00:00:00Z' },
    );
    const asked: string[] = [];
    const report = await verify(c, { now: NOW, fetchResource: async (url) => (asked.push(url), bytes) });
    expect(asked).toEqual(['https://www.ut.ee/syllabus']);
    expect(report.checks.filter((x) => x.check === 'relatedResource' && x.status === 'warn')).toHaveLength(5);
    // allowPrivateHosts (a test network) lets the fetcher have them (file: stays refused: it is not a network resource).
    const onTestNet: string[] = [];
    await verify(c, { now: NOW, allowPrivateHosts: true, fetchResource: async (url) => (onTestNet.push(url), bytes) });
    expect(onTestNet).toHaveLength(5);
  });

  it('held: a related resource with an unsupported digest algorithm or a non-URL id fails the structure check', async () => {
    for (const rr of [
      { id: 'https://a.example/x', digestSRI: 'md5-AAAA' },
      { id: 'not a url', digestMultibase: 'uEiA' },
      { id: 'https://a.example/x', digestMultibase: 'zzzz' },
    ]) {
      const c = await issue(plain(issuerKey.controller), { key: issuerKey, created: '2026-02-01T00:00:00Z' });
      // Signed after adding, so the structure check (not the signature) is what refuses it.
      const signed = await issue(plain(issuerKey.controller, { relatedResource: [rr] }), {
        key: issuerKey,
        created: '2026-02-01T00:00:00Z',
      }).catch(() => undefined);
      const r = await verify(signed ?? { ...(c as Json), relatedResource: [rr] }, {
        now: NOW,
        fetchResource: async () => new Uint8Array(),
      });
      expect(r.verified, JSON.stringify(rr)).toBe(false);
    }
  });
});

describe('red team: budgets across nested credentials', () => {
  it('hole: a CLR of 12 credentials from 12 did:web hosts shares one resolver budget (at most 8 documents asked)', async () => {
    const { credentials, docs } = await fromDistinctHosts(12);
    const clr = {
      '@context': [V2, CLR, OB],
      id: 'urn:uuid:1',
      type: ['VerifiableCredential', 'ClrCredential'],
      issuer: issuerKey.controller,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { type: ['ClrSubject'], id: learner, verifiableCredential: credentials },
    };
    const asked: string[] = [];
    const report = await verifyClr(clr, { now: NOW, resolveDocument: async (url) => (asked.push(url), docs.get(url)) });
    expect(report.verified).toBe(false);
    expect(asked.length).toBeLessThanOrEqual(8);
  });

  it('hole: a stack of 13 credentials from 13 did:web hosts shares one resolver budget', async () => {
    const { credentials, docs } = await fromDistinctHosts(13);
    const asked: string[] = [];
    const report = await verifyStack({
      programme: credentials[0]!,
      parts: credentials.slice(1),
      now: NOW,
      resolveDocument: async (url) => (asked.push(url), docs.get(url)),
    });
    expect(report.verified).toBe(false);
    expect(asked.length).toBeLessThanOrEqual(8);
  });

  it('held: a CLR with 65 nested credentials verifies none of them', async () => {
    const one = await issue(plain(issuerKey.controller), { key: issuerKey, created: '2026-02-01T00:00:00Z' });
    const clr = {
      '@context': [V2, CLR, OB],
      type: ['VerifiableCredential', 'ClrCredential'],
      issuer: issuerKey.controller,
      credentialSubject: { type: ['ClrSubject'], verifiableCredential: Array.from({ length: 65 }, () => one) },
    };
    const r = await verifyClr(clr, { now: NOW });
    expect(r.verified).toBe(false);
    expect(r.credentials).toEqual([]);
    expect(r.checks.some((c) => c.code === 'INVALID_CLR')).toBe(true);
  });
});

describe('red team: verifyClr and verifyStack never throw for a JSON credential', () => {
  it('verifyClr(any JSON)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            '@context': fc.constant([V2, CLR, OB]),
            type: fc.constant(['VerifiableCredential', 'ClrCredential']),
            credentialSubject: fc.record({
              type: fc.constant(['ClrSubject']),
              verifiableCredential: fc.jsonValue(),
              association: fc.jsonValue(),
            }),
          }),
        ),
        async (input) => {
          const r = await verifyClr(input as Json, { now: NOW });
          expect(r.verified).toBe(false);
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);

  it('verifyStack({ programme: any JSON, parts: [any JSON] })', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 3 }), async (programme, parts) => {
        const r = await verifyStack({ programme: programme as Json, parts: parts as Json[], now: NOW });
        expect(r.verified).toBe(false);
      }),
      { numRuns: 120 },
    );
  }, 60_000);
});

describe('red team: who may issue a part of a programme', () => {
  it("hole: a part signed by a stranger that names the programme's issuer as its achievement's creator is not the programme issuer's", async () => {
    const { award, awardProgramme, defineIssuer } = await import('../src');
    const { reiProgramme } = await import('../examples/rei-programme');
    const uniKey = generateKey();
    const university = defineIssuer({ id: uniKey.controller, name: 'University of Tartu', country: 'EE' });
    const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
    const grades = ['A', 'B', 'A', 'pass', 'pass'];
    const on = (i: number) => (i < 3 ? '2024-01-26' : '2024-06-14');
    const real = await Promise.all(
      grades.map((g, i) =>
        issue(award(reiProgramme.parts[i]!, { issuer: university, learner: mari, grade: g, awardedOn: on(i) }), {
          key: uniKey,
        }),
      ),
    );
    // The learner never passed part 0 at the university: they sign one themselves, "created by" the university.
    const ownKey = generateKey();
    const self = defineIssuer({ id: ownKey.controller, name: 'University of Tartu', country: 'EE' });
    const forged = award(reiProgramme.parts[0]!, {
      issuer: self,
      learner: mari,
      grade: 'A',
      awardedOn: on(0),
    }) as unknown as { credentialSubject: { achievement: Json } };
    forged.credentialSubject.achievement.creator = {
      id: uniKey.controller,
      type: ['Profile'],
      name: 'University of Tartu',
    };
    const forgedSigned = await issue(forged as unknown as Json, { key: ownKey });
    expect((await verify(forgedSigned)).verified).toBe(true); // a valid credential of its own signer
    const stack = [forgedSigned, ...real.slice(1)];
    // The registrar checks the learner's parts before awarding: the forged part must not pass.
    await expect(
      awardProgramme(reiProgramme, { issuer: university, learner: mari, parts: stack, awardedOn: '2024-06-20' }),
    ).rejects.toMatchObject({ code: 'PROGRAMME_NOT_EARNED' });
    // A programme credential without relatedResource (not made by awardProgramme): verifyStack must not accept it either.
    const programme = award(reiProgramme, { issuer: university, learner: mari, awardedOn: '2024-06-20' });
    const signedProgramme = await issue(programme as unknown as Json, { key: uniKey });
    const r = await verifyStack({ programme: signedProgramme, parts: stack });
    expect(r.verified).toBe(false);
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toEqual(['ISSUER_MISMATCH']);
  });
});

describe('red team: microcred verify --stack on a presentation', () => {
  it('hole: a presentation entry { credential, verified: true } is not taken as vouched for by the caller', async () => {
    const { award, defineIssuer, createPresentation } = await import('../src');
    const { verifyStackFiles } = await import('../src/cli/stack');
    const { reiProgramme } = await import('../examples/rei-programme');
    const uniKey = generateKey();
    const university = defineIssuer({ id: uniKey.controller, name: 'University of Tartu', country: 'EE' });
    const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
    const grades = ['A', 'B', 'A', 'pass', 'pass'];
    const on = (i: number) => (i < 3 ? '2024-01-26' : '2024-06-14');
    const real = await Promise.all(
      grades.map((g, i) =>
        issue(award(reiProgramme.parts[i]!, { issuer: university, learner: mari, grade: g, awardedOn: on(i) }), {
          key: uniKey,
        }),
      ),
    );
    const programme = await issue(
      award(reiProgramme, { issuer: university, learner: mari, awardedOn: '2024-06-20' }) as unknown as Json,
      { key: uniKey },
    );
    // Part 1 was failed: the holder writes an unsigned "passed" copy and says it was verified.
    const fake = structuredClone(real[1]) as unknown as Json;
    delete fake.proof;
    const holder = generateKey();
    // (signPresentation refuses to sign it: those keys are no terms; the stack report must not vouch for it anyway.)
    const vp = {
      ...createPresentation({
        verifiableCredential: [programme, real[0], { credential: fake, verified: true }, ...real.slice(2)],
        holder: holder.controller,
      }),
    };
    const printed: unknown[] = [];
    const out = { json: true, print: () => undefined, data: (v: unknown) => printed.push(v), error: () => undefined };
    const code = await verifyStackFiles(['vp.json'], { challenge: 'c' }, out, [JSON.stringify(vp)]);
    expect(code).not.toBe(0);
    const data = printed[0] as { verified: boolean; stack?: { verified: boolean; checks: { code?: string }[] } };
    expect(data.verified).toBe(false);
    expect(data.stack?.verified).toBe(false);
    expect(data.stack?.checks.map((c) => c.code)).toContain('INVALID_CREDENTIAL');
  });
});

describe("red team: a CLR bundling someone else's credential", () => {
  it('held: a CLR (even signed by its issuer) holding a credential of another learner fails the learner check; one naming no learner cannot be linked', async () => {
    const other = generateKey().controller;
    const mine = await issue(plain(issuerKey.controller), { key: issuerKey, created: '2026-02-01T00:00:00Z' });
    const theirs = await issue(plain(issuerKey.controller, { credentialSubject: { id: other } }), {
      key: issuerKey,
      created: '2026-02-01T00:00:00Z',
    });
    const clr = (subject: Json) =>
      issue(
        {
          '@context': [V2, CLR, OB],
          id: `urn:uuid:${crypto.randomUUID()}`,
          type: ['VerifiableCredential', 'ClrCredential'],
          issuer: issuerKey.controller,
          validFrom: '2025-01-01T00:00:00Z',
          name: 'Transcript',
          credentialSubject: { type: ['ClrSubject'], ...subject, verifiableCredential: [mine, theirs] },
        },
        { key: issuerKey, created: '2026-02-01T00:00:00Z' },
      );
    const withId = await verifyClr(await clr({ id: learner }), { now: NOW });
    expect(withId.credentials.map((c) => c.verified)).toEqual([true, true]);
    expect(withId.verified).toBe(false);
    expect(withId.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain('LEARNER_MISMATCH');
    const noLearner = await verifyClr(await clr({}), { now: NOW });
    expect(noLearner.verified).toBe(false);
  });
});

describe('red team: a CLR inside a CLR', () => {
  it('hole: a learner-signed CLR nesting an unsigned, made-up credential does not verify inside a university CLR', async () => {
    const learnerKey = generateKey();
    const real = await issue(plain(issuerKey.controller, { credentialSubject: { id: learnerKey.controller } }), {
      key: issuerKey,
      created: '2026-02-01T00:00:00Z',
    });
    const madeUp = structuredClone(real) as unknown as Json;
    delete madeUp.proof;
    madeUp.id = `urn:uuid:${crypto.randomUUID()}`;
    const clrOf = (subject: Json, key: typeof issuerKey, nested: unknown[]) =>
      issue(
        {
          '@context': [V2, CLR, OB],
          id: `urn:uuid:${crypto.randomUUID()}`,
          type: ['VerifiableCredential', 'ClrCredential'],
          issuer: key.controller,
          validFrom: '2025-01-01T00:00:00Z',
          name: 'Transcript',
          credentialSubject: { type: ['ClrSubject'], ...subject, verifiableCredential: nested },
        },
        { key, created: '2026-02-01T00:00:00Z' },
      );
    const selfMade = await clrOf({ id: learnerKey.controller }, learnerKey, [madeUp]).catch(() => undefined);
    if (selfMade === undefined) return; // refused at issue: nothing to nest
    const outer = await clrOf({ id: learnerKey.controller }, issuerKey, [real, selfMade]);
    const r = await verifyClr(outer, { now: NOW });
    expect(r.verified).toBe(false);
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toContain('INVALID_CLR');
  });
});
