import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, resolveConfig } from 'vite';
import { COMPILE_HINT, compileHints } from '../web/compile-hints.mjs';

type Chunk = { type: string; fileName: string; code: string; isEntry: boolean; map?: { mappings: string } | null };

async function buildVerifyPage(plugin: ReturnType<typeof compileHints>, sourcemap = false): Promise<Chunk[]> {
  const built = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    build: {
      write: false,
      target: 'es2022',
      sourcemap,
      rollupOptions: { input: path.resolve('bench/browser/entry.ts'), output: { format: 'es' } },
    },
  });
  return (Array.isArray(built) ? built : [built as { output: Chunk[] }])
    .flatMap((o) => (o as { output: Chunk[] }).output)
    .filter((c) => c.type === 'chunk');
}

/**
 * V8 reads `//# allFunctionsCalledOnLoad` only as a script's first line. Vite writes its preload helper at the top
 * of every chunk that imports another on demand, after ordinary plugins ran; the hint must still come first there.
 */
describe('compile hints (web/compile-hints.mjs)', () => {
  it("marks every chunk of the verify-only page on its first line, the entry's preload helper included", async () => {
    const chunks = await buildVerifyPage(compileHints());
    expect(chunks.length).toBeGreaterThan(5);
    const withPreloadHelper = chunks.filter((c) => c.code.includes('__vite__mapDeps'));
    expect(withPreloadHelper.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.code.startsWith(COMPILE_HINT), c.fileName).toBe(true);
    expect(chunks.filter((c) => c.code.includes('allFunctionsCalledOnLoad', COMPILE_HINT.length))).toEqual([]);
  }, 120_000);

  it('marks only the chunks `include` picks, and shifts a source map by the added line', async () => {
    const plain = await buildVerifyPage({ name: 'none' }, true);
    const chunks = await buildVerifyPage(compileHints({ include: (c) => !c.isEntry }), true);
    expect(chunks.filter((c) => c.map).length).toBeGreaterThan(5);
    for (const c of chunks) {
      const before = plain.find((p) => p.fileName === c.fileName)!;
      if (c.isEntry) {
        expect(c.code).toBe(before.code);
        continue;
      }
      expect(c.code).toBe(COMPILE_HINT + before.code);
      if (before.map) expect(c.map!.mappings).toBe(`;${before.map.mappings}`);
    }
  }, 120_000);

  it("is in the verifier page's production build, for the chunks after its shell", async () => {
    const config = await resolveConfig({ configFile: path.resolve('web/vite.config.ts') }, 'build', 'production');
    expect(config.plugins.map((p) => p.name)).toContain('microcredentials-compile-hints');
  });
});
