import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * A server bundle, as serverless deployments make them: the application and all its dependencies in one file, run
 * from a folder with no node_modules. Our CommonJS dependencies load through `require` where Node can find them
 * (src/platform/commonjs.ts); here it cannot, and the bundler's copy must be used instead. Covers the formats that
 * need jsonld's context module (the fast path), jsonld.js itself (an inline context) and jose (VC-JWT).
 */
const entry = `
import { award, defineIssuer, generateKey, issue, verify } from 'microcredentials';
import { reiProgramme } from './examples/rei-programme';
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0], { issuer, learner: { email: 'mari@example.ee' }, grade: 'B', awardedOn: '2024-01-26' });
const results = {};
for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt', 'dc+sd-jwt']) results[format] = (await verify(await issue(credential, { key, format }))).verified;
const inline = { ...credential, '@context': [...credential['@context'], { extra: 'https://example.org/extra' }], extra: 'x' };
results.inlineContext = (await verify(await issue(inline, { key }))).verified;
console.log(JSON.stringify(results));
`;

describe('a Node server bundle without node_modules', () => {
  it('issues and verifies in every format, with the bundled copies of jsonld and jose', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-server-bundle-'));
    try {
      const outfile = path.join(dir, 'app.mjs');
      await build({
        stdin: { contents: entry, resolveDir: path.resolve('.'), loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile,
        alias: { microcredentials: './src/index.ts' },
        // CommonJS inside an ESM bundle needs a require for Node built-ins.
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
        logLevel: 'silent',
      });
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
      const run = spawnSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({
        'eddsa-rdfc-2022': true,
        'eddsa-jcs-2022': true,
        'vc-jwt': true,
        'dc+sd-jwt': true,
        inlineContext: true,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
