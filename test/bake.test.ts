import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { MicrocredError, bake, crc32, unbake } from '../src';
import { fixturePath } from './helpers/fixtures';

const FIX = fixturePath('ob3', '1edtech-validator-fixtures');

/** A minimal valid 1×1 PNG built by hand (IHDR, IDAT, IEND). */
function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0]))), chunk('IEND', Buffer.alloc(0))]));
}

function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const b = Buffer.from(png);
  const out: { type: string; data: Buffer }[] = [];
  for (let p = 8; p < b.length; ) {
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    expect(b.readUInt32BE(p + 8 + len)).toBe(crc32(b.subarray(p + 4, p + 8 + len)));
    out.push({ type, data: b.subarray(p + 8, p + 8 + len) });
    p += 12 + len;
  }
  return out;
}

const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], id: 'urn:uuid:1', type: ['VerifiableCredential'], name: 'has ]]> inside' };
const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln';

describe('baking (OB 3.0 §5.3)', () => {
  it('PNG: one uncompressed iTXt chunk before IDAT, valid CRCs, round trip for JSON and JWT', async () => {
    const baked = bake(tinyPng(), credential);
    const list = chunks(baked);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'IDAT', 'IEND']);
    const itxt = list[1]!.data;
    expect(itxt.subarray(0, 20).toString('latin1')).toBe('openbadgecredential\u0000');
    expect([itxt[20], itxt[21], itxt[22], itxt[23]]).toEqual([0, 0, 0, 0]); // not compressed, method 0, no language, no translation
    expect(await unbake(baked)).toMatchObject({ format: 'json', credential });
    expect(await unbake(bake(tinyPng(), jwt))).toEqual({ format: 'jwt', jwt, text: jwt });
  });

  it('SVG: element right after <svg>, CDATA-safe JSON, JWT in verify, any prefix', async () => {
    const svg = '<?xml version="1.0"?>\n<!-- badge --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>';
    const baked = bake(svg, credential);
    expect(baked).toMatch(/<svg [^>]*xmlns:openbadges="https:\/\/purl\.imsglobal\.org\/ob\/v3p0"[^>]*><openbadges:credential><!\[CDATA\[/);
    expect(await unbake(baked)).toMatchObject({ format: 'json', credential });
    expect(await unbake(bake(svg, jwt))).toMatchObject({ format: 'jwt', jwt });
    const otherPrefix = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential verify="${jwt}"/></svg>`;
    expect(await unbake(otherPrefix)).toMatchObject({ format: 'jwt', jwt });
    // An element with the right local name in another namespace is not a credential.
    await expect(unbake('<svg xmlns:x="urn:other"><x:credential>{}</x:credential></svg>')).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
  });

  it('unbakes 1EdTech\'s baked fixtures to exactly their extracted payloads', async () => {
    const extracted = fs.readdirSync(`${FIX}/extracted`);
    let compared = 0;
    for (const image of ['simple-json.png', 'simple-json.svg', 'simple-jwt.png', 'simple-jwt.svg', 'simple-jwt_v1.png', 'simple-jwt_v1.svg']) {
      const payload = await unbake(new Uint8Array(fs.readFileSync(`${FIX}/${image}`)));
      const match = extracted.find((f) => f.startsWith(image));
      if (!match) continue;
      const expectedText = fs.readFileSync(`${FIX}/extracted/${match}`, 'utf8').trim();
      if (payload.format === 'jwt') expect(payload.jwt).toBe(expectedText);
      else expect(payload.credential).toEqual(JSON.parse(expectedText));
      compared++;
    }
    expect(compared).toBe(6);
  });

  it('refuses two credentials, re-baking without replace, truncated PNGs and non-images with INVALID_IMAGE', async () => {
    const once = bake(tinyPng(), credential);
    expect(() => bake(once, credential)).toThrow(MicrocredError);
    const replaced = bake(once, jwt, { replace: true });
    expect((await unbake(replaced)).format).toBe('jwt');
    // Two chunks: splice a second iTXt in by hand.
    const list = chunks(once);
    const itxt = Buffer.from(once).subarray(33, 33 + 12 + list[1]!.data.length);
    const twice = new Uint8Array(Buffer.concat([Buffer.from(once).subarray(0, 33), itxt, Buffer.from(once).subarray(33)]));
    await expect(unbake(twice)).rejects.toThrow(/2 openbadgecredential chunks/);
    await expect(unbake(once.subarray(0, once.length - 20))).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(unbake(new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(unbake(tinyPng())).rejects.toThrow(/No credential/);
  });

  it('hostile input gives a payload or a MicrocredError, never another exception', async () => {
    const base = bake(tinyPng(), credential);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => { const c = base.slice(); c[i] = v; return c; }), fc.string()), async (input) => {
        try {
          await unbake(input);
        } catch (e) {
          expect(e).toBeInstanceOf(MicrocredError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
