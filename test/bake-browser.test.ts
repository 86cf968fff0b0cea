import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { bake, unbake } from '../src';
import { crc32 } from '../src/bake/crc32';
import { fixturePath } from './helpers/fixtures';
import { hasChromium, openInChromium } from './helpers/browser';

// Same gate as test/browser.test.ts: skipped only on a machine without Chromium, never in CI.
const run = hasChromium || process.env.CI ? describe : describe.skip;

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), body.length + 4);
  return out;
}

function png(...ancillary: Buffer[]): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    ...ancillary,
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  name: 'caf\u00e9 ]]> \u{1F393}',
};
const compressed = png(
  chunk(
    'iTXt',
    Buffer.concat([
      Buffer.from('openbadgecredential\0\x01\x00\0\0', 'latin1'),
      zlib.deflateSync(JSON.stringify(credential)),
    ]),
  ),
);
const jwtSvg = fs.readFileSync(fixturePath('ob3', '1edtech-validator-fixtures', 'simple-jwt.svg'), 'utf8');

/** The checks, run identically in Chromium and in Node; everything they return is plain JSON. */
const checks = `
  const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const code = async (work) => { try { await work(); return 'no error'; } catch (e) { return e.name + ':' + e.code; } };
  export async function runChecks(input) {
    const baked = bake(fromB64(input.png), input.credential);
    const bakedSvg = bake('<svg xmlns="http://www.w3.org/2000/svg"/>', input.credential);
    return {
      crc: crc32(new TextEncoder().encode('123456789')),
      pngLength: baked.length,
      pngRoundTrip: await unbake(baked),
      compressed: await unbake(fromB64(input.compressed)),
      svg: bakedSvg,
      svgRoundTrip: await unbake(bakedSvg),
      fixture: (await unbake(input.jwtSvg)).text,
      truncated: await code(() => unbake(baked.subarray(0, baked.length - 5))),
      notAnImage: await code(() => unbake(new TextEncoder().encode('GIF89a'))),
    };
  }
`;

run('baking in Chromium', () => {
  it('bakes and unbakes PNG (including a compressed iTXt via DecompressionStream) and SVG exactly as Node does', async () => {
    const input = { png: png().toString('base64'), compressed: compressed.toString('base64'), jwtSvg, credential };
    const browserEntry = `import { bake, crc32, unbake } from './src/bake/index';\n${checks}\nwindow.runChecks = () => runChecks(${JSON.stringify(input)});`;
    const result = await build({
      stdin: { contents: browserEntry, resolveDir: path.resolve('.'), loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const bundle = result.outputFiles[0]!.text;
    expect(bundle).not.toMatch(/\bfrom\s*["']node:|\bBuffer\.from\b/);

    // The same checks in Node, through a module built from the same text.
    const nodeChecks = new Function(
      'bake',
      'crc32',
      'unbake',
      'atob',
      `${checks.replace('export async function', 'return async function')}`,
    ) as (...a: unknown[]) => (i: typeof input) => Promise<unknown>;
    const expected = await nodeChecks(bake, crc32, unbake, atob)(input);

    const page = await openInChromium(bundle);
    try {
      const inBrowser = await page.evaluate<Record<string, unknown>>('window.runChecks()');
      expect(inBrowser).toEqual(expected);
      expect(inBrowser).toMatchObject({
        crc: 0xcbf43926,
        pngRoundTrip: { format: 'json', credential },
        compressed: { format: 'json', credential },
        svgRoundTrip: { format: 'json', credential },
        truncated: 'MicrocredError:INVALID_IMAGE',
        notAnImage: 'MicrocredError:INVALID_IMAGE',
      });
      expect(page.requests.map((u) => new URL(u).pathname).sort()).toEqual(['/', '/app.js']);
    } finally {
      await page.close();
    }
  });
});
