import { describe, expect, it, vi } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify } from '../src';
import { reiProgramme } from '../examples/rei-programme';

// A step that throws (a bug, or a callback failing in a way no step expected) is reported under its own check with
// INTERNAL_ERROR (INVALID_INPUT while reading the input), and verify() still returns a report: the checks after it in
// its part stop, the concluding ones run.
const fault = vi.hoisted(() => ({ step: '' as string, error: undefined as unknown }));
vi.mock('../src/verify/steps/validity', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/verify/steps/validity')>();
  return {
    ...real,
    validityStep: (ctx: never) => (fault.step === 'validity' ? Promise.reject(fault.error) : real.validityStep(ctx)),
  };
});
vi.mock('../src/verify/steps/eu-elements', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/verify/steps/eu-elements')>();
  return {
    ...real,
    euElementsStep: (ctx: never) => {
      if (fault.step === 'euElements') throw fault.error;
      return real.euElementsStep(ctx);
    },
  };
});
vi.mock('../src/verify/steps/parse', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/verify/steps/parse')>();
  return {
    ...real,
    parseStep: (ctx: never) => (fault.step === 'parse' ? Promise.reject(fault.error) : real.parseStep(ctx)),
  };
});

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const signed = await issue(
  award(reiProgramme.parts[0]!, { issuer, learner: 'did:example:learner', grade: 'A', awardedOn: '2024-01-26' }),
  { key },
);

describe('a step that throws', () => {
  it('is reported under its own check with INTERNAL_ERROR; the later checks stop, the concluding ones run', async () => {
    Object.assign(fault, { step: 'validity', error: new TypeError('boom') });
    const r = await verify(signed);
    expect(r.verified).toBe(false);
    expect(r.checks.find((c) => c.check === 'validity')).toMatchObject({
      status: 'fail',
      code: 'INTERNAL_ERROR',
      message: 'Verification stopped: boom',
    });
    expect(r.checks.find((c) => c.check === 'proof')?.status).toBe('pass');
    expect(r.checks.map((c) => c.check)).toEqual([
      'parse',
      'contexts',
      'schema',
      'proof',
      'keyBinding',
      'validity',
      'euElements',
      'consistency',
    ]);
  });

  it('keeps the code of a MicrocredError it threw', async () => {
    const { MicrocredError } = await import('../src');
    Object.assign(fault, { step: 'validity', error: new MicrocredError('RESOLVER_ERROR', 'no answer') });
    const r = await verify(signed);
    expect(r.checks.find((c) => c.check === 'validity')).toMatchObject({ status: 'fail', code: 'RESOLVER_ERROR' });
  });

  it('a concluding step that throws does not stop the others', async () => {
    Object.assign(fault, { step: 'euElements', error: new Error('boom') });
    const r = await verify(signed);
    expect(r.checks.find((c) => c.check === 'euElements')).toMatchObject({ status: 'fail', code: 'INTERNAL_ERROR' });
    expect(r.checks.map((c) => c.check)).toContain('consistency');
  });

  it('a reading step that throws (a hostile getter or proxy) still gives a report: INVALID_INPUT under parse', async () => {
    Object.assign(fault, { step: 'parse', error: new RangeError('bad') });
    const r = await verify(signed);
    expect(r).toMatchObject({
      verified: false,
      proofs: [],
      checks: [{ check: 'parse', status: 'fail', code: 'INVALID_INPUT' }],
    });
  });
});
