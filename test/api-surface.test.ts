import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as api from '../src/index';
import * as nodeApi from '../src/node/index';

// The package's surface is deliberate: api/*.api.md lists it, and internals stay out of the entry points.
describe('public API', () => {
  it('matches the committed API report (npm run api rewrites it when a change is intended)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/api-report.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('does not export internals from the main entry', () => {
    const internals = [
      'childPath', 'toMicrocredError', 'canonizeStats', 'resetCanonizeStats', 'fastCanonize', 'checkSafeMode', 'crc32',
      'withTimeout', 'computeHashData', 'startProofSet', 'usePureJsEd25519', 'partPassed', 'digestedBytes',
      // the old names of renamed exports
      'canonize',
    ];
    expect(internals.filter((name) => name in api)).toEqual([]);
    expect('toRow' in nodeApi).toBe(false);
  });

  it('exports the renamed functions under their new names', () => {
    expect(typeof api.canonicalizeRdf).toBe('function');
    expect(typeof api.canonicalizeJcs).toBe('function');
    expect(typeof api.useEd25519Backend).toBe('function');
  });
});
