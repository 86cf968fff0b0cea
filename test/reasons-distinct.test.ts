/**
 * A verdict's reasons as people read them: two checks failing for one reason (here the schema's VC Data Model rules
 * and its Open Badges rules, both SCHEMA_VIOLATION) read as one line in the CLI and on the verifier page, not the same
 * sentence twice; different reasons all stay, in order.
 */
import { describe, expect, it } from 'vitest';
import { generateKey, verify } from '../src';
import { createProof } from '../src/entries/proof';
import { formatReport } from '../src/cli/report';
import { distinctByText } from '../web/src/distinct';
import { benchIssuer, seedCredential } from '../bench/fixtures';

const key = generateKey();

// Signed as it is (issue() would refuse it): the reasons of a document whose signature fails speak of the signature
// only, so the two schema findings are read on a credential whose signature holds.
async function twoSchemaFailures() {
  const broken = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Record<string, unknown>;
  broken.validFrom = 'yesterday';
  delete ((broken.credentialSubject as Record<string, unknown>).achievement as Record<string, unknown>).name;
  return verify(await createProof(broken, { key }));
}

describe('reasons read once', () => {
  it('the CLI lists a reason two checks give once, and keeps the others in order', async () => {
    const report = await twoSchemaFailures();
    const texts = report.verdict.reasons.map((r) => r.text);
    const format = 'It does not follow the Open Badges 3.0 format';
    expect(texts.filter((t) => t === format)).toHaveLength(2);
    const why = formatReport(report, {})
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4));
    // A check that was not run reads as what was not checked (as on the page); the others in the library's words.
    const plain = report.verdict.reasons.map((r) =>
      r.key === 'reason.keyBinding.keyBinding' ? "Whether the signing key is the issuer's was not checked" : r.text,
    );
    expect(why).toEqual([...new Set(plain)]);
    expect(why.filter((t) => t === format)).toHaveLength(1);
    expect(why.length).toBeGreaterThan(1);
  });

  it('the page keeps the first item of each text, in order', () => {
    const items = [
      { code: 'A', text: 'x' },
      { code: 'B', text: 'y' },
      { code: 'C', text: 'x' },
      { code: 'D', text: 'z' },
    ];
    expect(distinctByText(items).map((i) => i.code)).toEqual(['A', 'B', 'D']);
    expect(distinctByText([])).toEqual([]);
  });
});
