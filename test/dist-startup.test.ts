import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../scripts/entries.mjs';

/**
 * What a process loads when it imports the built package (npm run build): every file is one more resolution, read and
 * compilation at start-up, and a dependency's files are the dearest (its package.json and `exports` map). The main
 * entry loads its own chunks only (tsup.config.ts bundles noble's Ed25519 and SHA-2; multiformats and SHA-3 are not
 * needed). The CommonJS copy, written without whitespace to fit the package gate, must still export what the ES
 * modules do.
 */
const root = path.resolve(import.meta.dirname, '..');
const built = fs.existsSync(path.join(root, 'dist/index.js'));

/** Every file: URL the ESM loader loads for `import(entry)` in a fresh process (test/helpers/record-loads.mjs). */
function filesLoadedBy(entry: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-startup-'));
  try {
    const record = path.join(dir, 'loaded.txt');
    const hook = pathToFileURL(path.join(root, 'test/helpers/record-loads.mjs')).href;
    const child = spawnSync(
      process.execPath,
      ['--import', hook, '--input-type=module', '-e', `await import(${JSON.stringify(entry)});`],
      { encoding: 'utf8', env: { ...process.env, RECORD_LOADS: record } },
    );
    expect(child.status, child.stderr).toBe(0);
    return fs
      .readFileSync(record, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file:'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!built && !process.env.CI)('the built package at start-up', () => {
  it('the main entry loads none of its dependencies’ files', () => {
    const loaded = filesLoadedBy(pathToFileURL(path.join(root, 'dist/index.js')).href);
    expect(loaded.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    expect(loaded.some((url) => url.endsWith('/dist/index.js'))).toBe(true);
  });

  it('the main entry loads eight files of its own (scripts/merge-chunks.mjs merges its chunks)', () => {
    // Every file is a resolution, a read and a module record (~0.4 ms in a fresh process); esbuild's splitting alone
    // gave the main entry 24 chunks.
    const loaded = filesLoadedBy(pathToFileURL(path.join(root, 'dist/index.js')).href);
    expect(loaded.filter((url) => url.includes('/dist/')).length).toBeLessThanOrEqual(8);
  });

  it('the ES module files are written without indentation (scripts/merge-chunks.mjs, minifyWhitespace)', () => {
    // V8 scans every character of what the main entry imports before the first line runs; whitespace and comments
    // were a fifth of it (docs/speed.md, "Cold start, round six"). As esbuild writes them, the files have ~19
    // indented lines per KB; what is left without whitespace is line breaks inside template literals (~0.4).
    let indented = 0;
    let length = 0;
    for (const file of fs.readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(root, 'dist', file), 'utf8');
      indented += text.match(/\n[ \t]+/g)?.length ?? 0;
      length += text.length;
    }
    expect((indented / length) * 1000).toBeLessThan(2);
  });

  it('every entry shares the main entry’s copy of the library (one MicrocredError class)', async () => {
    const main = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
    const errorOf = async (entry: string, call: (m: Record<string, (x: unknown) => unknown>) => unknown) => {
      const m = await import(pathToFileURL(path.join(root, `dist/${entry}.js`)).href);
      try {
        await call(m);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(await errorOf('proof', (m) => m.parseVerificationMethodId!(42))).toBeInstanceOf(main.MicrocredError);
    expect(await errorOf('status', (m) => m.decodeBitstring!('***'))).toBeInstanceOf(main.MicrocredError);
    expect(await errorOf('europass', (m) => m.fromEuropass!(42))).toBeInstanceOf(main.MicrocredError);
  });

  it('every CommonJS entry exports the names its ES module exports', async () => {
    const require = createRequire(import.meta.url);
    for (const name of Object.keys(ENTRIES)) {
      const esm = await import(pathToFileURL(path.join(root, `dist/${name}.js`)).href);
      const cjs = require(path.join(root, `dist/${name}.cjs`)) as Record<string, unknown>;
      expect(Object.keys(cjs).sort(), name).toEqual(Object.keys(esm).sort());
    }
  });
});
