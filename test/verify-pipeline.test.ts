import { describe, expect, it } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify, type VerificationReport } from '../src';
import { reiProgramme } from '../examples/rei-programme';

// The verify pipeline (src/verify/steps/): its report lists checks in one order whatever the format, and the contexts
// check stays right after parse when an RDFC proof proves JSON-LD safe mode for it (the contexts step's speed trick).
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0]!, {
  issuer,
  learner: 'did:example:learner',
  grade: 'A',
  awardedOn: '2024-01-26',
});
const ORDER = ['parse', 'contexts', 'schema', 'proof', 'keyBinding', 'validity', 'status', 'euElements', 'consistency'];

const names = (r: VerificationReport) => r.checks.map((c) => c.check);
const contexts = (r: VerificationReport) => r.checks.find((c) => c.check === 'contexts')!;
const firstProof = (signed: Record<string, unknown>) =>
  (Array.isArray(signed.proof) ? signed.proof[0] : signed.proof) as Record<string, unknown>;

describe('verify pipeline: report order and the contexts verdict', () => {
  it.each(['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const)(
    '%s: every check in pipeline order',
    async (format) => {
      const r = await verify(await issue(credential, { key, format }));
      expect(r.verified).toBe(true);
      expect(names(r)).toEqual(ORDER);
    },
  );

  it('RDFC: safe mode proven while canonicalizing for the proof, reported in the contexts slot', async () => {
    const r = await verify(await issue(credential, { key, format: 'eddsa-rdfc-2022' }));
    expect(contexts(r).message).toMatch(/canonicalizes in JSON-LD safe mode/);
  });

  it('JCS: no RDFC proof, so the document is expanded in the contexts step', async () => {
    const r = await verify(await issue(credential, { key, format: 'eddsa-jcs-2022' }));
    expect(contexts(r).message).toMatch(/^3 known context\(s\); the credential expands in JSON-LD safe mode/);
  });

  it('RDFC with an undefined term: the safe-mode failure is the contexts check, right after parse', async () => {
    const signed = structuredClone(await issue(credential, { key, format: 'eddsa-rdfc-2022' })) as unknown as Record<
      string,
      unknown
    >;
    (signed.credentialSubject as Record<string, unknown>).undefinedTerm = 'x';
    const r = await verify(signed);
    expect(r.verified).toBe(false);
    expect(names(r)).toEqual(ORDER);
    expect(contexts(r)).toMatchObject({ status: 'fail', code: 'SAFE_MODE_VIOLATION', path: '$' });
  });

  it('RDFC whose proof never canonicalizes (unresolvable key): the document is expanded after the proof step, reported in the same place', async () => {
    const signed = structuredClone(await issue(credential, { key, format: 'eddsa-rdfc-2022' })) as unknown as Record<
      string,
      unknown
    >;
    firstProof(signed).verificationMethod = 'did:web:issuer.example#k';
    const r = await verify(signed);
    expect(r.verified).toBe(false);
    expect(names(r)).toEqual(ORDER);
    expect(contexts(r)).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/^3 known context\(s\); the credential expands/),
    });
    expect(r.checks.filter((c) => c.status === 'skip' && c.message === 'Not checked')).toEqual([]);
  });
});
