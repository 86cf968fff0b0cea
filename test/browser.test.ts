import { describe, expect, it } from 'vitest';
import { canonicalizeRdf } from '../src/entries/jsonld';
import { bundleForBrowser, hasChromium, openInChromium } from './helpers/browser';

// CI installs Debian's chromium; on a developer machine without it the browser suite is skipped, never silently in CI.
const run = hasChromium || process.env.CI ? describe : describe.skip;

run('isomorphic core in Chromium (CSP without eval, no network)', () => {
  it('builds, expands and canonicalizes a seed credential exactly as Node does', async () => {
    const bundle = await bundleForBrowser('test/browser/entry.ts');
    expect(bundle).not.toMatch(/\bfrom\s*["']node:/);
    const page = await openInChromium(bundle);
    try {
      const result = await page.evaluate<{
        sdJwt: { verified: boolean; title: string; grade: unknown };
        expandedNodes: number;
        nquads: string;
        missingMandatory: string[];
        unknownContextCode: string;
        credential: object;
      }>('window.runChecks()');
      expect(result.expandedNodes).toBe(1);
      expect(result.sdJwt).toEqual({ verified: true, title: 'Critical thinking and argumentation', grade: null });
      expect(result.missingMandatory).toEqual([]);
      expect(result.unknownContextCode).toBe('UNKNOWN_CONTEXT');
      // Same document in Node gives the same canonical form (the salt is random, so reuse the browser's credential).
      const nodeQuads = await canonicalizeRdf(result.credential);
      expect(result.nquads).toBe(nodeQuads);
      expect(nodeQuads.split('\n').length).toBeGreaterThan(50);
      // The only requests are the page and its script: no context or schema was fetched.
      expect(page.requests.map((u) => new URL(u).pathname).sort()).toEqual(['/', '/app.js']);
    } finally {
      await page.close();
    }
  });
});
