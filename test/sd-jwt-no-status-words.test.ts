/**
 * An SD-JWT VC its issuer gave no status entry cannot be revoked: the report says so, as it does for a credential
 * without credentialStatus, and no one (library reasons, CLI, page catalogue) reads "whether it was revoked was not
 * checked", which would send an HR person to check something that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify } from '../src';
import { plainHeadline, plainReasons } from '../src/cli/plain-words';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const course = award(reiProgramme.parts[0]!, {
  issuer,
  learner: sampleLearners[0].learner,
  grade: 'A',
  awardedOn: '2024-06-10',
});

describe('SD-JWT VC without a status entry', () => {
  it('passes the status check as one that cannot be revoked, with no "not checked" reason anywhere', async () => {
    const sdJwt = await issue(course, { key, format: 'dc+sd-jwt' });
    const report = await verify(sdJwt, { now: new Date('2025-01-01T00:00:00Z') });
    expect(report.verified).toBe(true);
    expect(report.checks.find((c) => c.check === 'status')).toMatchObject({
      status: 'pass',
      message: expect.stringMatching(/cannot be revoked/),
    });
    expect(report.verdict.outcome).toBe('authentic-unconfirmed');
    expect(report.verdict.reasons.map((r) => r.key)).not.toContain('reason.status.status');
    const words = [plainHeadline(report), ...plainReasons(report)].join('\n');
    expect(words).not.toMatch(/not checked/i);
  });
});
