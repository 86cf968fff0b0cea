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

/** Every file: URL the ESM loader loads for `import(entry)` in a fresh process. */
function filesLoadedBy(entry: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-startup-'));
  try {
    const log = path.join(dir, 'loaded.txt');
    const hooks = path.join(dir, 'hooks.mjs');
    fs.writeFileSync(
      hooks,
      `import fs from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) fs.appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
    );
    const register = path.join(dir, 'register.mjs');
    fs.writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(register).href,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(entry)});`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    return fs.readFileSync(log, 'utf8').trim().split('\n');
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

  it('every CommonJS entry exports the names its ES module exports', async () => {
    const require = createRequire(import.meta.url);
    for (const name of Object.keys(ENTRIES)) {
      const esm = await import(pathToFileURL(path.join(root, `dist/${name}.js`)).href);
      const cjs = require(path.join(root, `dist/${name}.cjs`)) as Record<string, unknown>;
      expect(Object.keys(cjs).sort(), name).toEqual(Object.keys(esm).sort());
    }
  });
});
