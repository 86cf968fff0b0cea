import { beforeAll, describe, expect, it } from 'vitest';
import {
  MicrocredError,
  award,
  awardProgramme,
  buildClr,
  defineIssuer,
  generateKey,
  issue,
  verify,
  verifyClr,
  type ClrCredential,
} from '../src';
import { canonicalizeRdf } from '../src/entries/jsonld';
import { reiProgramme } from '../examples/rei-programme';
import { referenceVerify } from '../bench/reference';

type Json = Record<string, unknown>;
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const mari = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
const GRADES = ['A', 'B', 'A', 'pass', 'pass'];

let parts: Json[];
let programme: Json;
let clr: ClrCredential;
let signed: Json;

beforeAll(async () => {
  parts = (await Promise.all(
    reiProgramme.parts.map((p, i) =>
      issue(award(p, { issuer, learner: mari, grade: GRADES[i]!, awardedOn: i < 3 ? '2024-01-26' : '2024-06-14' }), {
        key,
      }),
    ),
  )) as unknown as Json[];
  programme = (await issue(
    await awardProgramme(reiProgramme, { issuer, learner: mari, parts, awardedOn: '2024-06-20' }),
    { key },
  )) as unknown as Json;
  clr = buildClr({
    issuer,
    learner: mari,
    credentials: [programme, ...parts],
    id: 'urn:uuid:6f0c1a8e-2b1d-4c55-9a1e-0d9f6a4b7c21',
    validFrom: '2024-06-21T00:00:00Z',
  });
  signed = (await issue(clr, { key })) as unknown as Json;
});

describe('CLR 2.0: a transcript of the seed programme', () => {
  it('holds the programme and its five courses, with isParentOf associations from the programme to each course', () => {
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ]);
    expect(clr.name).toBe('Transcript: Academic and Research Integrity: from theory to practice');
    expect(clr.credentialSubject.verifiableCredential).toHaveLength(6);
    expect(clr.credentialSubject.association).toEqual(
      reiProgramme.parts.map((p) => ({
        type: 'Association',
        associationType: 'isParentOf',
        sourceId: reiProgramme.id,
        targetId: p.id,
      })),
    );
    // The learner's hash in the CLR equals the one in every credential (one salt per learner).
    expect(clr.credentialSubject.identifier![0]!.identityHash).toBe(
      (programme.credentialSubject as { identifier: { identityHash: string }[] }).identifier[0]!.identityHash,
    );
  });

  it('verifies here: the CLR, each nested credential with its own full report, the learner, the associations and the stack', async () => {
    const r = await verifyClr(signed);
    expect(r.clr.verified, JSON.stringify(r.clr.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(r.credentials.map((c) => c.verified)).toEqual([true, true, true, true, true, true]);
    expect(r.credentials.every((c) => c.checks.some((x) => x.check === 'proof' && x.status === 'pass'))).toBe(true);
    expect(r.checks.map((c) => `${c.check}:${c.status}`)).toEqual(['clr:pass', 'learner:pass', 'associations:pass']);
    expect(r.stack?.verified).toBe(true);
    expect(r.verified).toBe(true);
  });

  it('its proof verifies in @digitalbazaar/vc (eddsa-rdfc-2022 and eddsa-jcs-2022)', async () => {
    expect(await referenceVerify(signed)).toEqual({ verified: true });
    const jcs = await issue(clr, { key, format: 'eddsa-jcs-2022' });
    expect(await referenceVerify(jcs, 'eddsa-jcs-2022')).toEqual({ verified: true });
    expect((await verifyClr(jcs)).verified).toBe(true);
  });

  it('a nested credential changed after signing breaks the CLR proof, and its own proof, even when the CLR is re-signed', async () => {
    const tampered = structuredClone(signed) as {
      credentialSubject: { verifiableCredential: { credentialSubject: { result: { value: string }[] } }[] };
    };
    tampered.credentialSubject.verifiableCredential[2]!.credentialSubject.result[0]!.value = 'A';
    const r = await verifyClr(tampered);
    expect(r.verified).toBe(false);
    expect(r.clr.checks.find((c) => c.check === 'proof')).toMatchObject({ status: 'fail' });
    expect(r.credentials.map((c) => c.verified)).toEqual([true, true, false, true, true, true]);
    // The issuer of the CLR re-signs the altered transcript: the CLR's proof holds, the nested course's does not.
    const { proof: _p, ...unsigned } = tampered as unknown as Json;
    const resigned = await issue(unsigned, { key });
    const again = await verifyClr(resigned);
    expect(again.clr.verified).toBe(true);
    expect(again.verified).toBe(false);
    expect(again.stack!.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toEqual([
      'INVALID_CREDENTIAL',
      'DIGEST_MISMATCH',
    ]);
  });

  it('a credential of another learner in the CLR fails the learner check', async () => {
    const other = await issue(
      award(reiProgramme.parts[0]!, {
        issuer,
        learner: { email: 'jaan.tamm@example.ee', salt: 'ffee0011ffee0011' },
        grade: 'A',
        awardedOn: '2024-01-26',
      }),
      { key },
    );
    const mixed = await issue(buildClr({ issuer, learner: mari, credentials: [...parts, other] }), { key });
    const r = await verifyClr(mixed);
    expect(r.verified).toBe(false);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      expect.objectContaining({
        check: 'learner',
        code: 'LEARNER_MISMATCH',
        path: '$.credentialSubject.verifiableCredential[5]',
      }),
    ]);
    expect(r.stack).toBeUndefined();
  });

  it('an association to an achievement not in the CLR fails with INVALID_CLR', async () => {
    const odd = structuredClone(clr);
    odd.credentialSubject.association!.push({
      type: 'Association',
      associationType: 'isParentOf',
      sourceId: reiProgramme.id,
      targetId: 'https://elsewhere.example/course',
    });
    const r = await verifyClr(await issue(odd, { key }));
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      {
        check: 'associations',
        status: 'fail',
        code: 'INVALID_CLR',
        message:
          'An association (isParentOf) points at https://elsewhere.example/course, which is not an achievement in this CLR',
        path: '$.credentialSubject.association[5].targetId',
      },
    ]);
  });

  it('a plain Open Badge is not a CLR; buildClr refuses a VC-JWT and unsigned credentials', async () => {
    const r = await verifyClr(parts[0]!);
    expect(r.verified).toBe(false);
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toEqual([
      'INVALID_CLR',
      'INVALID_CLR',
      'INVALID_CLR',
      'INVALID_CLR',
    ]); // type, context, subject type, no credentials
    const jwt = await issue(award(reiProgramme.parts[0]!, { issuer, learner: mari, grade: 'A' }), {
      key,
      format: 'vc-jwt',
    });
    const err = (() => {
      try {
        buildClr({
          issuer,
          learner: mari,
          credentials: [jwt, award(reiProgramme.parts[1]!, { issuer, learner: mari, grade: 'A' })],
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as MicrocredError;
    expect(err).toBeInstanceOf(MicrocredError);
    expect(err.problems.map((p) => p.path)).toEqual(['$.credentials[0]', '$.credentials[1]']);
    expect(err.problems[0]!.message).toMatch(/a VC-JWT cannot be nested/);
  });

  it('a CLR holding more credentials than a verifier checks is refused before any is verified', async () => {
    const huge = structuredClone(clr);
    huge.credentialSubject.verifiableCredential = Array.from({ length: 65 }, () => parts[0]!);
    const r = await verifyClr(await issue(huge, { key, format: 'eddsa-jcs-2022' }));
    expect(r.verified).toBe(false);
    expect(r.credentials).toEqual([]);
    expect(r.checks.find((c) => c.status === 'fail')!.message).toBe(
      'The CLR holds 65 credentials; a verifier checks at most 64, and checked none of them',
    );
  });
});

describe('CLR 2.0: the nested credentials are documents of their own (compacted form)', () => {
  const CRED = 'https://www.w3.org/2018/credentials#';
  const withoutProof = ({ proof: _p, ...rest }: Json): Json => rest;

  it('a CLR moving its own validUntil into an @included block of a nested credential keeps the graph and is refused', async () => {
    const expiring = { ...structuredClone(clr), validUntil: '2025-01-01T00:00:00Z' };
    const signedExpiring = (await issue(expiring, { key, created: '2024-06-21T00:00:00Z' })) as unknown as Json;
    const after = { now: new Date('2025-06-01T00:00:00Z') };
    expect(
      (await verify(signedExpiring, after)).checks.filter((c) => c.status === 'fail').map((c) => c.code),
    ).toContain('EXPIRED');
    // The attack: validUntil leaves the top level (where the validity check reads it) for an @included node about the
    // CLR inside the first nested credential. Same N-Quads, so the CLR's proof still holds.
    const attack = structuredClone(signedExpiring);
    delete attack.validUntil;
    const nested = (attack.credentialSubject as { verifiableCredential: Json[] }).verifiableCredential[0]!;
    nested['@included'] = [
      {
        id: clr.id,
        [`${CRED}validUntil`]: {
          '@value': '2025-01-01T00:00:00Z',
          '@type': 'http://www.w3.org/2001/XMLSchema#dateTime',
        },
      },
    ];
    expect(await canonicalizeRdf(withoutProof(attack))).toBe(await canonicalizeRdf(withoutProof(signedExpiring)));
    const r = await verify(attack, after);
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.status === 'fail')).toMatchObject({
      check: 'contexts',
      code: 'NOT_COMPACTED',
      path: '$.credentialSubject.verifiableCredential[0]["@included"]',
    });
    expect((await verifyClr(attack, after)).clr.verified).toBe(false);
  });

  it('every nested credential is verified, also a single object, and one shaped { credential, verified: true } is not taken as vouched for', async () => {
    const forged = structuredClone(signed);
    const subject = forged.credentialSubject as Json;
    subject.verifiableCredential = [
      ...(subject.verifiableCredential as Json[]),
      { credential: { ...parts[0]!, name: 'Forged' }, verified: true },
    ];
    const r = await verifyClr(forged);
    expect(r.verified).toBe(false);
    expect(r.credentials).toHaveLength(7);
    expect(r.credentials[6]!.verified).toBe(false);
    const single = structuredClone(signed);
    (single.credentialSubject as Json).verifiableCredential = { ...parts[0]!, name: 'Forged' };
    const one = await verifyClr(single);
    expect(one.credentials.map((c) => c.verified)).toEqual([false]);
  });
});
