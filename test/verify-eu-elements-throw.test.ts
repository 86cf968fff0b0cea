/**
 * The EU-elements step tells an ELM credential from an Open Badge before reading it. A caller's credential that throws
 * while being told apart (a getter) fails the step there, once: handed to a reader that reads it again, a getter that
 * throws once would let the credential verify.
 */
import { describe, expect, it } from 'vitest';
import { generateKey, issue, verify } from '../src';
import { benchIssuer, seedCredential } from '../bench/fixtures';
import { throwAtRead } from './helpers/throwing-read';

describe('EU elements step on a credential that throws while being told apart', () => {
  it('fails with INTERNAL_ERROR, whichever read of `type` throws there', async () => {
    const key = generateKey();
    const signed = JSON.parse(
      JSON.stringify(await issue(seedCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' })),
    ) as Record<string, unknown>;
    let thrownThere = 0;
    for (let failing = 1; failing <= 40; failing++) {
      const doc = { ...signed };
      const type = throwAtRead(doc, 'type', failing);
      const report = await verify(doc, { now: new Date(Date.now() + 60_000) });
      if (!/isElmCredential/.test(type.thrownAt())) continue;
      thrownThere++;
      expect(report.verified, `read ${failing}`).toBe(false);
      expect(
        report.checks.find((c) => c.check === 'euElements'),
        `read ${failing}`,
      ).toMatchObject({
        status: 'fail',
        code: 'INTERNAL_ERROR',
      });
    }
    expect(thrownThere).toBe(1);
  });
});
