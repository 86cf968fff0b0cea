/**
 * The EU-elements step tells an ELM credential from an Open Badge before reading it. A caller's credential that throws
 * while being read must never be read again (a getter that throws once would let the credential verify): verify()
 * reads a caller's object once, into plain data (../src/shared/read-once.ts), so a getter of `type`
 * that throws fails the parse step at its first read, and one that would throw later is never read again.
 */
import { describe, expect, it } from 'vitest';
import { generateKey, issue, verify } from '../src';
import { benchIssuer, seedCredential } from '../bench/fixtures';
import { throwAtRead } from './helpers/throwing-read';

describe('EU elements step on a credential that throws while being told apart', () => {
  it('reads `type` once: a throw there fails the parse step, a throw that would come later never comes', async () => {
    const key = generateKey();
    const signed = JSON.parse(
      JSON.stringify(await issue(seedCredential(benchIssuer(key.controller)), { key, format: 'eddsa-jcs-2022' })),
    ) as Record<string, unknown>;
    const now = new Date(Date.now() + 60_000);
    const plain = await verify(signed, { now });
    expect(plain.verified).toBe(true);
    for (let failing = 1; failing <= 40; failing++) {
      const doc = { ...signed };
      const type = throwAtRead(doc, 'type', failing);
      const report = await verify(doc, { now });
      expect(type.reads(), `read ${failing}`).toBe(1);
      if (failing === 1) {
        expect(report.verified).toBe(false);
        expect(report.checks).toMatchObject([{ check: 'parse', status: 'fail', code: 'INVALID_INPUT' }]);
      } else expect(report, `read ${failing}`).toEqual(plain);
    }
  });
});
