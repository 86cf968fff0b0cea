import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as api from '../src/index';
import * as nodeApi from '../src/node/index';
import * as jsonldApi from '../src/entries/jsonld';
import * as proofApi from '../src/entries/proof';

// The package's surface is deliberate: api/*.api.md lists it, and internals stay out of the entry points.
describe('public API', () => {
  it('matches the committed API report (npm run api rewrites it when a change is intended)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/api-report.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  }, 60_000);

  it('does not export internals from the main entry', () => {
    const internals = [
      'childPath',
      'toMicrocredError',
      'canonizeStats',
      'resetCanonizeStats',
      'fastCanonize',
      'checkSafeMode',
      'crc32',
      'withTimeout',
      'computeHashData',
      'startProofSet',
      'usePureJsEd25519',
      'partPassed',
      'digestedBytes',
      // the old names of renamed exports
      'canonize',
    ];
    expect(internals.filter((name) => name in api)).toEqual([]);
    expect('toRow' in nodeApi).toBe(false);
  });

  it('keeps the main entry to the calls users make: at most 200 names, types included (building blocks are on subpath entries)', () => {
    const report = readFileSync('api/index.api.md', 'utf8');
    const count = Number(/ (\d+) exports\./.exec(report)?.[1]);
    expect(count).toBeGreaterThan(100);
    expect(count).toBeLessThanOrEqual(200);
    // Building blocks are not on the main entry: each is on its own subpath entry.
    expect(
      [
        'Bitstring',
        'IndexAllocator',
        'createResolver',
        'useEd25519Backend',
        'canonicalizeRdf',
        'createDocumentLoader',
        'MAX_DOCUMENT_BYTES',
      ].filter((name) => name in api),
    ).toEqual([]);
  });

  it('exports the renamed functions under their new names', () => {
    expect(typeof jsonldApi.canonicalizeRdf).toBe('function');
    expect(typeof proofApi.canonicalizeJcs).toBe('function');
    expect(typeof proofApi.useEd25519Backend).toBe('function');
  });
});
