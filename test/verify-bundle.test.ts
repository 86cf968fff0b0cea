import { describe, expect, it } from 'vitest';
import { BUDGET_KB, measureVerifyBundle } from '../scripts/verify-bundle-size.mjs';

/**
 * Issue 23's budget: a web page that imports only `verify` loads ≤ 100 KB of gzipped script before its first
 * verification. What only other formats or issuing need (SD-JWT, VC-JWT and jose, baked images, status lists,
 * related-resource digests, domain linkage, jsonld.js, the ELM reader, the schema errors' texts) loads on demand.
 * scripts/verify-bundle-size.mjs prints the chunks.
 */
describe('verify-only bundle', () => {
  it(`stays within ${BUDGET_KB} KB gzipped, with the format-specific code in chunks loaded on demand`, async () => {
    const { kb, staticChunks, onDemand } = await measureVerifyBundle();
    expect(kb).toBeLessThanOrEqual(BUDGET_KB);
    const upFront = staticChunks.flatMap((c) => c.modules.map((m) => m.id));
    const later = onDemand.flatMap((c) => c.modules.map((m) => m.id));
    for (const lazy of [
      'src/verify/sd-jwt.ts',
      'src/proof/jwt.ts',
      'src/bake/png.ts',
      'src/status/check.ts',
      'src/vcdm/related-resource.ts',
      'src/verify/domain-linkage.ts',
      'jsonld/lib/jsonld.js',
      // Only an ELM / European Digital Credential needs its reader.
      'src/read/elm-reader.ts',
      // Only a credential that is not valid, even read leniently, needs the schema errors' texts.
      'src/schema/issues.ts',
    ]) {
      expect(upFront, lazy).not.toContain(lazy);
      expect(later, lazy).toContain(lazy);
    }
    // Keys are decoded with the library's own base58 (the proofValue codec), not multiformats'.
    expect(upFront.filter((id) => id.startsWith('multiformats/'))).toEqual([]);
    // What every Data Integrity verification needs stays in the first load.
    expect(upFront).toContain('src/jsonld/fast/rdfc.ts');
    expect(upFront).toContain('src/schema/validators.generated.js');
    // Most credentials from other issuers are valid only read leniently (a lone `proof` object): answered up front,
    // and validate() (the public API, which reads no report) is not part of a verify at all.
    expect(upFront).toContain('src/schema/lenient.ts');
    expect([...upFront, ...later]).not.toContain('src/schema/validate.ts');
  }, 120_000);
});
