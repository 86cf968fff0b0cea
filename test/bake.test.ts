import { describe, expect, it } from 'vitest';
import { cpuTime } from './helpers/cpu-time';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { MicrocredError, bake, detectImageType, inspectBadgeImage, unbake, type BakedPayload } from '../src';
import { crc32 } from '../src/bake/crc32';
import { fixturePath } from './helpers/fixtures';

const FIX = fixturePath('ob3', '1edtech-validator-fixtures');
const OB3_NS = 'https://purl.imsglobal.org/ob/v3p0';
const readBytes = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIX, name)));

// ---- independent PNG helpers (node:zlib's CRC-32, so a bug in the library's CRC cannot hide itself) ----
const toBuffer = (v: Uint8Array | string) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Uint8Array | string): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), toBuffer(data)]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(zlib.crc32(body), body.length + 4);
  return out;
}

/** A valid 1×1 greyscale PNG; `ancillary` chunks go between IHDR and IDAT. */
function tinyPng(...ancillary: Buffer[]): Uint8Array {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return new Uint8Array(
    Buffer.concat([
      SIGNATURE,
      pngChunk('IHDR', ihdr),
      ...ancillary,
      pngChunk('IDAT', zlib.deflateSync(Buffer.from([0, 0]))),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

interface ParsedChunk {
  type: string;
  data: Buffer;
  /** The chunk's bytes as they sit in the file (length, type, data, CRC). */
  raw: Buffer;
  crcValid: boolean;
}

/** Parses every chunk, checking the signature and that IEND is last. */
function parsePng(png: Uint8Array): ParsedChunk[] {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!b.subarray(0, 8).equals(SIGNATURE)) throw new Error('bad signature');
  const out: ParsedChunk[] = [];
  let p = 8;
  while (p < b.length) {
    const len = b.readUInt32BE(p);
    const type = b.toString('latin1', p + 4, p + 8);
    const crcValid = b.readUInt32BE(p + 8 + len) === zlib.crc32(b.subarray(p + 4, p + 8 + len));
    out.push({ type, data: b.subarray(p + 8, p + 8 + len), raw: b.subarray(p, p + 12 + len), crcValid });
    p += 12 + len;
  }
  if (p !== b.length || out[out.length - 1]?.type !== 'IEND')
    throw new Error('chunks do not end with IEND at the end of the file');
  return out;
}

/** An iTXt body: keyword, NUL, compression flag and method, language tag, translated keyword, text. */
function iTXtData(
  keyword: string,
  text: Uint8Array | string,
  flag = 0,
  method = 0,
  language = '',
  translated = '',
): Buffer {
  return Buffer.concat([
    Buffer.from(`${keyword}\0`, 'latin1'),
    Buffer.from([flag, method]),
    Buffer.from(`${language}\0${translated}\0`, 'utf8'),
    toBuffer(text),
  ]);
}

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:6d3c7a9e-1f0b-4a3c-9d63-2c51a6f0b1a1',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Has ]]> and ]]]]> inside, plus < & " \u00e9 \u{1F393}',
};
const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl';
const plainSvg =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a badge -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <rect width="10" height="10"/>\n</svg>\n';

async function expectInvalidImage(work: Promise<unknown> | (() => unknown), message?: RegExp): Promise<MicrocredError> {
  let error: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MicrocredError);
  expect((error as MicrocredError).code).toBe('INVALID_IMAGE');
  if (message) expect((error as MicrocredError).message).toMatch(message);
  return error as MicrocredError;
}

function credentialElements(svg: string): string[] {
  return svg.match(/<([\w.-]+:)?credential\b[^>]*>/g) ?? [];
}

describe('crc32', () => {
  it('matches the standard check value and node:zlib on arbitrary data', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc32(bytes) === zlib.crc32(bytes)));
  });
});

describe('PNG baking', () => {
  it('inserts exactly one uncompressed iTXt openbadgecredential chunk before the first IDAT, with valid CRCs', () => {
    for (const [payload, text] of [
      [credential, JSON.stringify(credential)],
      [jwt, jwt],
    ] as const) {
      const chunks = parsePng(bake(tinyPng(), payload));
      expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'IDAT', 'IEND']);
      expect(chunks.every((c) => c.crcValid)).toBe(true);
      // keyword NUL, flag 0, method 0, empty language tag NUL, empty translated keyword NUL, then the UTF-8 text.
      expect(chunks[1]!.data).toEqual(iTXtData('openbadgecredential', text));
    }
  });

  it('round-trips JSON and JWT credentials', async () => {
    const json = await unbake(bake(tinyPng(), credential));
    expect(json).toEqual({ format: 'json', credential, text: JSON.stringify(credential) });
    expect(await unbake(bake(tinyPng(), `  ${jwt}\n`))).toEqual({ format: 'jwt', jwt, text: jwt });
  });

  it('keeps the other chunks byte for byte and puts the credential after all ancillary chunks before IDAT', () => {
    const original = tinyPng(pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])), pngChunk('tEXt', 'Comment\0hello'));
    const baked = parsePng(bake(original, credential));
    expect(baked.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
    expect(baked.filter((c) => c.type !== 'iTXt').map((c) => c.raw)).toEqual(parsePng(original).map((c) => c.raw));
  });

  it('refuses to re-bake without { replace: true } and replaces the credential with it', async () => {
    const once = bake(tinyPng(), credential);
    await expectInvalidImage(() => bake(once, jwt), /already carries a baked credential.*replace/);
    const replaced = bake(once, jwt, { replace: true });
    const chunks = parsePng(replaced);
    expect(chunks.filter((c) => c.type === 'iTXt')).toHaveLength(1);
    expect(await unbake(replaced)).toEqual({ format: 'jwt', jwt, text: jwt });
  });

  it('re-bakes a real badge whose credential chunk sits after IDAT: one chunk, moved before IDAT, nothing else touched', async () => {
    const original = readBytes('simple-json.png');
    const rebaked = bake(original, jwt, { replace: true });
    const before = parsePng(original);
    const after = parsePng(rebaked);
    expect(after.every((c) => c.crcValid)).toBe(true);
    const credentialChunks = after.filter(
      (c) => c.type === 'iTXt' && c.data.subarray(0, 20).toString('latin1') === 'openbadgecredential\0',
    );
    expect(credentialChunks).toHaveLength(1);
    expect(credentialChunks[0]!.data[20]).toBe(0); // compression flag
    expect(after.map((c) => c.type)).toEqual([
      'IHDR',
      'gAMA',
      'cHRM',
      'bKGD',
      'pHYs',
      'tIME',
      'iTXt',
      'IDAT',
      'IDAT',
      'IDAT',
      'tEXt',
      'tEXt',
      'IEND',
    ]);
    expect(after.filter((c) => c.type !== 'iTXt').map((c) => c.raw)).toEqual(
      before.filter((c) => c.type !== 'iTXt').map((c) => c.raw),
    );
    expect((await unbake(rebaked)).text).toBe(jwt);
  });

  it('reads a compressed iTXt credential (forbidden by OB 3.0 but written by some tools) and ignores language tags', async () => {
    const text = JSON.stringify(credential);
    const compressed = tinyPng(
      pngChunk('iTXt', iTXtData('openbadgecredential', zlib.deflateSync(text), 1, 0, 'en', 'Credential')),
    );
    expect(await unbake(compressed)).toEqual({ format: 'json', credential, text });
  });

  it('rejects damaged, ambiguous and empty PNGs with INVALID_IMAGE saying what is wrong', async () => {
    const once = bake(tinyPng(), credential);
    const [ihdr, itxt] = parsePng(once);
    const twice = Buffer.concat([SIGNATURE, ihdr!.raw, itxt!.raw, Buffer.from(once).subarray(8 + ihdr!.raw.length)]);
    await expectInvalidImage(unbake(twice), /2 iTXt openbadgecredential chunks/);
    await expectInvalidImage(unbake(once.subarray(0, once.length - 12)), /without an IEND/);
    await expectInvalidImage(unbake(once.subarray(0, 60)), /Truncated PNG: chunk iTXt at byte 33/);
    const badCrc = once.slice();
    badCrc[45]! ^= 1; // a data byte of the iTXt chunk (it starts at byte 33)
    await expectInvalidImage(unbake(badCrc), /CRC mismatch in chunk iTXt at byte 33/);
    await expectInvalidImage(unbake(tinyPng()), /No credential is baked into this PNG/);
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('tEXt', 'openbadgecredential\0' + jwt))),
      /requires an iTXt chunk/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', iTXtData('openbadgecredential', '{"a":1}', 2)))),
      /compression flag 2/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', iTXtData('openbadgecredential', Buffer.from([0x7b, 0xff, 0x7d]))))),
      /not valid UTF-8/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', iTXtData('openbadgecredential', '{"a":')))),
      /not valid JSON/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', iTXtData('openbadgecredential', 'hello world')))),
      /neither a JSON credential nor a compact JWS/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', iTXtData('openbadgecredential', Buffer.from('garbage'), 1)))),
      /not a valid zlib stream/,
    );
    await expectInvalidImage(
      unbake(tinyPng(pngChunk('iTXt', Buffer.from('openbadgecredential\0\0\0no-nul')))),
      /malformed: its language tag/,
    );
  });

  it('issue 19: a second credential payload in any chunk kind (tEXt, zTXt, another spelling) is INVALID_IMAGE, and bake replaces them all', async () => {
    const other = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZTphdHRhY2tlciJ9.c2lnbmF0dXJl';
    const zTXt = (keyword: string, text: string) =>
      pngChunk(
        'zTXt',
        Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from([0]), zlib.deflateSync(Buffer.from(text))]),
      );
    for (const second of [
      pngChunk('tEXt', `openbadgecredential\0${other}`),
      zTXt('openbadgecredential', other),
      pngChunk('tEXt', `OpenBadgeCredential\0${other}`),
      pngChunk('iTXt', iTXtData('OPENBADGECREDENTIAL', other)),
    ]) {
      // A badge baked as it should be, then a second payload slipped in after IHDR (byte 33).
      const baked = Buffer.from(bake(tinyPng(), jwt));
      const image = new Uint8Array(Buffer.concat([baked.subarray(0, 33), second, baked.subarray(33)]));
      await expectInvalidImage(unbake(image), /2 credential payloads .*exactly one/);
      await expectInvalidImage(() => bake(tinyPng(second), jwt), /already carries/);
      expect(await unbake(bake(image, jwt, { replace: true }))).toMatchObject({ format: 'jwt', jwt });
    }
  });

  it('every truncation of a baked PNG is INVALID_IMAGE', async () => {
    const once = bake(tinyPng(), credential);
    for (let cut = 0; cut < once.length; cut++) await expectInvalidImage(unbake(once.subarray(0, cut)));
  });
});

describe('SVG baking', () => {
  it('declares the namespace on <svg> and puts one credential element directly after its start tag', () => {
    const withJwt = bake(plainSvg, jwt);
    expect(withJwt).toContain(
      `<svg xmlns:openbadges="${OB3_NS}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><openbadges:credential verify="${jwt}"></openbadges:credential>\n  <rect`,
    );
    const withJson = bake(plainSvg, credential);
    expect(withJson).toMatch(/viewBox="0 0 10 10"><openbadges:credential><!\[CDATA\[\{"@context"/);
    expect(withJson).not.toMatch(/<openbadges:credential [^>]*verify/);
    expect(credentialElements(withJson)).toHaveLength(1);
    // Everything outside the root start tag and the new element is unchanged.
    expect(
      withJson
        .replace(/<openbadges:credential>[\s\S]*<\/openbadges:credential>/, '')
        .replace(` xmlns:openbadges="${OB3_NS}"`, ''),
    ).toBe(plainSvg);
  });

  it('round-trips JSON (including "]]>" inside) and JWT, as string and as bytes', async () => {
    const baked = bake(plainSvg, credential);
    expect(baked.match(/<!\[CDATA\[/g)).toHaveLength(3); // the two "]]>" force two splits
    expect(await unbake(baked)).toEqual({ format: 'json', credential, text: JSON.stringify(credential) });
    expect(await unbake(bake(plainSvg, jwt))).toEqual({ format: 'jwt', jwt, text: jwt });
    const asBytes = bake(new TextEncoder().encode(plainSvg), credential);
    expect(asBytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(asBytes)).toBe(baked);
    expect((await unbake(asBytes)).text).toBe(JSON.stringify(credential));
  });

  it('refuses to re-bake without { replace: true }; with it, exactly one element carries the new payload', async () => {
    const once = bake(plainSvg, credential);
    await expectInvalidImage(() => bake(once, jwt), /already carries a baked credential/);
    const replaced = bake(once, jwt, { replace: true });
    expect(credentialElements(replaced)).toHaveLength(1);
    expect(replaced).not.toContain('CDATA');
    expect((await unbake(replaced)).text).toBe(jwt);
    const fixture = fs.readFileSync(path.join(FIX, 'simple-json.svg'), 'utf8');
    const rebakedFixture = bake(fixture, jwt, { replace: true });
    expect(credentialElements(rebakedFixture)).toEqual([`<openbadges:credential verify="${jwt}">`]);
    expect(rebakedFixture.match(/xmlns:openbadges=/g)).toHaveLength(1); // the existing declaration is reused
  });

  it('bakes a self-closing <svg/> and picks a free prefix when "openbadges" is taken', async () => {
    const selfClosing = bake('<svg xmlns="http://www.w3.org/2000/svg"/>', jwt);
    expect(selfClosing).toBe(
      `<svg xmlns:openbadges="${OB3_NS}" xmlns="http://www.w3.org/2000/svg"><openbadges:credential verify="${jwt}"></openbadges:credential></svg>`,
    );
    const taken = bake('<svg xmlns:openbadges="http://openbadges.org"><g/></svg>', jwt);
    expect(taken).toContain(`xmlns:openbadges2="${OB3_NS}"`);
    expect((await unbake(taken)).text).toBe(jwt);
    const otherPrefix = bake(`<svg xmlns:ob="${OB3_NS}"><g/></svg>`, jwt);
    expect(otherPrefix).toBe(`<svg xmlns:ob="${OB3_NS}"><ob:credential verify="${jwt}"></ob:credential><g/></svg>`);
  });

  it('matches the credential by namespace URI and local name, whatever the prefix', async () => {
    const cases = [
      `<svg xmlns:ob="${OB3_NS}"><ob:credential verify="${jwt}"/></svg>`,
      `<svg><credential xmlns="${OB3_NS}" verify='${jwt}'></credential></svg>`,
      `<svg><g><x:credential xmlns:x="${OB3_NS}">\n  ${jwt}\n</x:credential></g></svg>`,
      `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" xmlns:b="${OB3_NS}"><b:credential verify="${jwt}"></b:credential></svg:svg>`,
      // Illustrator style: the namespace comes from an entity declared in the doctype.
      `<!DOCTYPE svg [<!ENTITY ns_ob "${OB3_NS}"><!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;" xmlns:o="&ns_ob;"><o:credential verify="${jwt}"/></svg>`,
    ];
    for (const svg of cases) expect(await unbake(svg), svg).toEqual({ format: 'jwt', jwt, text: jwt });
    await expectInvalidImage(
      unbake('<svg xmlns:openbadges="urn:other"><openbadges:credential>{}</openbadges:credential></svg>'),
      /prefix is bound to urn:other/,
    );
    await expectInvalidImage(
      unbake('<svg><openbadges:credential verify="a.b.c"/></svg>'),
      /prefix "openbadges" of <openbadges:credential> on line 1 is not declared/,
    );
    // The prefix's binding is scoped: a redeclaration on a child applies only inside it.
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><g xmlns:o="urn:x"><o:credential verify="${jwt}"/></g></svg>`),
      /No credential/,
    );
  });

  it('is not fooled by comments, CDATA, processing instructions and quoted ">" and decodes entities', async () => {
    const escapedJwt = jwt.replace('e', '&#x65;').replace('.', '&#46;');
    const svg = [
      '<?xml version="1.0"?>',
      `<!-- <openbadges:credential verify="x.y.z"/> -->`,
      `<svg title='a > b "quoted"' xmlns:openbadges="${OB3_NS}" data-x="&lt;openbadges:credential&gt;">`,
      '<?pi <openbadges:credential?>',
      `<desc><![CDATA[ <openbadges:credential verify="x.y.z"/> ]]></desc>`,
      `<openbadges:credential verify="${escapedJwt}"/>`,
      '</svg>',
    ].join('\n');
    expect(await unbake(svg)).toEqual({ format: 'jwt', jwt, text: jwt });
    const json = `<svg xmlns:openbadges="${OB3_NS}"><openbadges:credential>{"name": "a &amp; b \\&quot;c\\&quot; &lt;&#x1F393;"<!-- note -->}</openbadges:credential></svg>`;
    expect(await unbake(json)).toMatchObject({ format: 'json', credential: { name: 'a & b "c" <\u{1F393}' } });
  });

  it('rejects two credential elements, malformed XML, non-SVG XML and bad payloads with INVALID_IMAGE', async () => {
    const two = `<svg xmlns:a="${OB3_NS}" xmlns:b="${OB3_NS}">\n<a:credential verify="${jwt}"/>\n<b:credential verify="${jwt}"/></svg>`;
    await expectInvalidImage(unbake(two), /2 OB 3.0 credential elements \(lines 2, 3\)/);
    await expectInvalidImage(() => bake(two, jwt, { replace: false }), /already carries/);
    expect(credentialElements(bake(two, jwt, { replace: true }))).toHaveLength(1);
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><o:credential verify="${jwt}"></svg>`),
      /is closed by <\/svg>/,
    );
    await expectInvalidImage(unbake(`<svg xmlns:o="${OB3_NS}"><o:credential verify="${jwt}/></svg>`), /not closed/);
    await expectInvalidImage(unbake(`<svg a="1" a="2"></svg>`), /appears twice/);
    await expectInvalidImage(unbake(`<svg><!-- unterminated </svg>`), /unterminated comment/);
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><o:credential verify="&#0;"/></svg>`),
      /not an XML character/,
    );
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><o:credential verify="&#x110000;"/></svg>`),
      /not an XML character/,
    );
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><o:credential><![CDATA[{"a":]]></o:credential></svg>`),
      /credential element of the SVG is not valid JSON/,
    );
    await expectInvalidImage(unbake(`<svg xmlns:o="${OB3_NS}"><o:credential>  </o:credential></svg>`), /is empty/);
    await expectInvalidImage(unbake(plainSvg), /No credential is baked into this SVG/);
    // Issue 19: one element, two payloads (a JWS in verify, a JSON credential in the body).
    await expectInvalidImage(
      unbake(`<svg xmlns:o="${OB3_NS}"><o:credential verify="${jwt}"><![CDATA[{"id":"urn:x"}]]></o:credential></svg>`),
      /verify attribute and other text in its body/,
    );
    await expectInvalidImage(unbake('<html><svg/></html>'), /Not a PNG or SVG/);
    await expectInvalidImage(
      unbake(new Uint8Array([0x3c, 0x73, 0x76, 0x67, 0x3e, 0xff, 0x3c, 0x2f, 0x73, 0x76, 0x67, 0x3e])),
      /not valid UTF-8/,
    );
  });
});

describe("1EdTech's baked fixtures", () => {
  const images = [
    'simple-json.png',
    'simple-json.svg',
    'simple-jwt.png',
    'simple-jwt.svg',
    'simple-jwt_v1.png',
    'simple-jwt_v1.svg',
  ];

  it.each(images)('%s unbakes to exactly the payload in extracted/', async (image) => {
    const format = image.startsWith('simple-json') ? 'json' : 'jwt';
    const expectedText = fs.readFileSync(path.join(FIX, 'extracted', `${image}.extracted.${format}`), 'utf8');
    const fromBytes = await unbake(readBytes(image));
    expect(fromBytes.format).toBe(format);
    expect(fromBytes.text).toBe(expectedText);
    if (fromBytes.format === 'json') expect(fromBytes.credential).toEqual(JSON.parse(expectedText));
    else {
      expect(fromBytes.jwt).toBe(expectedText);
      const decoded = JSON.parse(
        fs.readFileSync(path.join(FIX, 'extracted', `${image}.extracted.jwt.json`), 'utf8'),
      ) as { compactJws: string };
      expect(fromBytes.jwt).toBe(decoded.compactJws);
    }
    if (image.endsWith('.svg')) expect(await unbake(fs.readFileSync(path.join(FIX, image), 'utf8'))).toEqual(fromBytes);
  });

  it('re-baking a fixture payload into a fresh image gives the same payload back', async () => {
    for (const image of images) {
      const payload = await unbake(readBytes(image));
      const source = payload.format === 'json' ? payload.credential : payload.jwt;
      const target = image.endsWith('.png') ? bake(tinyPng(), source) : bake(plainSvg, source);
      const again: BakedPayload = await unbake(target);
      if (payload.format === 'json') expect(again).toMatchObject({ format: 'json', credential: payload.credential });
      else expect(again).toEqual(payload);
    }
  });
});

describe('image type, OB 2.0 and input checks', () => {
  it('detects PNG and SVG by content', () => {
    expect(detectImageType(tinyPng())).toBe('png');
    expect(detectImageType(plainSvg)).toBe('svg');
    expect(detectImageType(new TextEncoder().encode(plainSvg))).toBe('svg');
    expect(detectImageType(`<?xml version="1.0"?><!-- ${'long comment '.repeat(1000)} --><svg/>`)).toBe('svg');
    expect(detectImageType(new Uint8Array(Buffer.from(`\ufeff${plainSvg}`, 'utf16le')))).toBe('svg');
    expect(detectImageType('<html><body><svg/></body></html>')).toBeUndefined();
    expect(detectImageType('{"svg": true}')).toBeUndefined();
    expect(detectImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeUndefined(); // JPEG
  });

  it('reports Open Badges 2.0 images as { kind: "ob2" } and unbake refuses them', async () => {
    const ob2Png = tinyPng(pngChunk('tEXt', 'openbadges\0https://example.org/assertions/1'));
    expect(await inspectBadgeImage(ob2Png)).toEqual({
      kind: 'ob2',
      image: 'png',
      text: 'https://example.org/assertions/1',
    });
    const ob2ITXt = tinyPng(pngChunk('iTXt', iTXtData('openbadges', '{"uid":"1"}')));
    expect(await inspectBadgeImage(ob2ITXt)).toEqual({ kind: 'ob2', image: 'png', text: '{"uid":"1"}' });
    await expectInvalidImage(unbake(ob2Png), /Open Badges 2\.0/);
    const ob2Svg =
      '<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/1"/></svg>';
    expect(await inspectBadgeImage(ob2Svg)).toEqual({ kind: 'ob2', image: 'svg', text: 'https://example.org/a/1' });
    // An OB 3.0 credential wins over an OB 2.0 leftover in the same image.
    expect(await inspectBadgeImage(bake(ob2Png, jwt))).toEqual({ format: 'jwt', jwt, text: jwt });
  });

  it('bake validates its inputs', async () => {
    const invalidInput = (f: () => unknown) => {
      expect(f).toThrow(MicrocredError);
      try {
        f();
      } catch (e) {
        expect((e as MicrocredError).code).toBe('INVALID_INPUT');
      }
    };
    invalidInput(() => bake(tinyPng(), '{"a":1}'));
    invalidInput(() => bake(tinyPng(), 'not a jws'));
    invalidInput(() => bake(tinyPng(), [1, 2]));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    invalidInput(() => bake(tinyPng(), cyclic));
    await expectInvalidImage(() => bake(new TextEncoder().encode('GIF89a'), credential), /PNG or SVG/);
    await expectInvalidImage(() => bake(tinyPng().subarray(0, 40), credential), /Truncated/);
  });

  it('src/bake stays isomorphic: no node: imports, no Buffer', () => {
    const dir = fileURLToPath(new URL('../src/bake/', import.meta.url));
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const source = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(source, f).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});

describe('hostile input: a BakedPayload or a MicrocredError, nothing else', () => {
  // BAKE_FUZZ_SCALE=20 npx vitest run test/bake.test.ts -t hostile  runs a longer campaign.
  const scale = Number(process.env.BAKE_FUZZ_SCALE ?? 1);
  /** Runs unbake and classifies the outcome; any other exception (or a safety-net conversion) fails the property. */
  async function outcome(input: Uint8Array | string): Promise<BakedPayload | MicrocredError> {
    try {
      const payload = await unbake(input);
      if (payload.format === 'json') expect(typeof payload.credential).toBe('object');
      else expect(payload.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]*$/);
      return payload;
    } catch (e) {
      expect(e).toBeInstanceOf(MicrocredError);
      expect((e as MicrocredError).code).toBe('INVALID_IMAGE');
      expect((e as MicrocredError).message).not.toMatch(/unexpected internal error/);
      return e as MicrocredError;
    }
  }

  function withFixedCrcs(png: Uint8Array): Uint8Array {
    // Re-seal every chunk whose declared length still fits, so the mutation reaches the parsers behind the CRC check.
    const b = Buffer.from(png);
    for (let p = 8; p + 12 <= b.length; ) {
      const len = b.readUInt32BE(p);
      if (p + 12 + len > b.length) break;
      b.writeUInt32BE(zlib.crc32(b.subarray(p + 4, p + 8 + len)), p + 8 + len);
      p += 12 + len;
    }
    return new Uint8Array(b);
  }

  const byteEdits = (length: number) =>
    fc.array(fc.tuple(fc.nat(length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });

  function applyEdits(base: Uint8Array, edits: [number, number][], cut?: number): Uint8Array {
    const copy = base.slice();
    for (const [i, v] of edits) copy[i] = v;
    return cut === undefined ? copy : copy.subarray(0, cut);
  }

  it('random bytes and random strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((tail) => new Uint8Array([...SIGNATURE, ...tail])),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ maxLength: 200 }).map((s) => `<svg xmlns:o="${OB3_NS}">${s}</svg>`),
        ),
        async (input) => {
          await outcome(input);
        },
      ),
      { numRuns: 1000 * scale },
    );
  });

  it('random mutations of a baked PNG, with and without re-sealed CRCs', async () => {
    const base = bake(tinyPng(pngChunk('tEXt', 'openbadges\0https://x')), credential);
    await fc.assert(
      fc.asyncProperty(
        byteEdits(base.length),
        fc.option(fc.nat(base.length)),
        fc.boolean(),
        async (edits, cut, reseal) => {
          const mutated = applyEdits(base, edits, cut ?? undefined);
          await outcome(reseal ? withFixedCrcs(mutated) : mutated);
        },
      ),
      { numRuns: 1500 * scale },
    );
  });

  it('random mutations inside the credential chunk of a real badge, CRC re-sealed', async () => {
    const real = readBytes('simple-jwt.png');
    const start = Buffer.from(real).indexOf('iTXtopenbadgecredential') - 4;
    const length = Buffer.from(real).readUInt32BE(start);
    const inChunk = fc.array(
      fc.tuple(fc.integer({ min: start, max: start + 8 + length - 1 }), fc.integer({ min: 0, max: 255 })),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(inChunk, async (edits) => {
        await outcome(withFixedCrcs(applyEdits(real, edits)));
      }),
      { numRuns: 300 * scale },
    );
  });

  it('random well-sealed chunk sequences', async () => {
    const textChunk = fc.record({
      type: fc.constantFrom('iTXt', 'tEXt', 'zTXt', 'IDAT', 'abCd'),
      keyword: fc.constantFrom('openbadgecredential', 'openbadges', 'Comment', ''),
      head: fc.uint8Array({ maxLength: 6 }),
      body: fc.oneof(fc.constant(jwt), fc.constant(JSON.stringify(credential)), fc.string({ maxLength: 40 })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(textChunk, { maxLength: 5 }), async (chunks) => {
        const extra = chunks.map((c) =>
          pngChunk(
            c.type,
            Buffer.concat([Buffer.from(`${c.keyword}\0`, 'latin1'), Buffer.from(c.head), Buffer.from(c.body)]),
          ),
        );
        const result = await outcome(tinyPng(...extra));
        const credentialChunks = chunks.filter((c) => c.type === 'iTXt' && c.keyword === 'openbadgecredential');
        if (credentialChunks.length !== 1) expect(result).toBeInstanceOf(MicrocredError);
      }),
      { numRuns: 500 * scale },
    );
  });

  const xmlTokens = [
    '<',
    '>',
    '/>',
    '"',
    "'",
    '&',
    '&amp;',
    '&#x',
    '&#1114112;',
    ';',
    ']]>',
    '<![CDATA[',
    '<!--',
    '-->',
    '<?',
    '?>',
    '</svg>',
    '<g>',
    '</g>',
    '<openbadges:credential>',
    '</openbadges:credential>',
    `xmlns:openbadges="${OB3_NS}"`,
    ' xmlns:openbadges=""',
    '<!DOCTYPE svg [',
    ']>',
    '<!ENTITY a "b">',
    '&a;',
    ':',
    '=',
    '\uFEFF',
    '\0',
  ];
  const svgEdit = fc.tuple(fc.nat(), fc.nat(20), fc.oneof(fc.constantFrom(...xmlTokens), fc.string({ maxLength: 5 })));

  it('random token-level mutations of baked SVGs; when bake accepts a mutant, unbake gives the new payload back', async () => {
    const bases = [
      bake(plainSvg, credential),
      bake(plainSvg, jwt),
      fs.readFileSync(path.join(FIX, 'simple-json.svg'), 'utf8'),
      fs.readFileSync(path.join(FIX, 'simple-jwt.svg'), 'utf8'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bases),
        fc.array(svgEdit, { minLength: 1, maxLength: 4 }),
        async (base, edits) => {
          let svg = base;
          for (const [at, remove, insert] of edits) {
            const i = at % (svg.length + 1);
            svg = svg.slice(0, i) + insert + svg.slice(i + remove);
          }
          await outcome(svg);
          let rebaked: string | undefined;
          try {
            rebaked = bake(svg, jwt, { replace: true });
          } catch (e) {
            expect(e).toBeInstanceOf(MicrocredError);
            expect((e as MicrocredError).message).not.toMatch(/unexpected internal error/);
          }
          if (rebaked !== undefined) expect(await unbake(rebaked)).toEqual({ format: 'jwt', jwt, text: jwt });
        },
      ),
      { numRuns: 1500 * scale },
    );
  });

  it('bake on hostile images throws only MicrocredError, and a PNG it accepts round-trips', async () => {
    const base = tinyPng(pngChunk('tEXt', 'Comment\0x'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          byteEdits(base.length).map((e) => withFixedCrcs(applyEdits(base, e))),
        ),
        async (image) => {
          let baked: Uint8Array | undefined;
          try {
            baked = bake(image, credential);
          } catch (e) {
            expect(e).toBeInstanceOf(MicrocredError);
            expect((e as MicrocredError).message).not.toMatch(/unexpected internal error/);
          }
          if (baked) expect((await unbake(baked)).text).toBe(JSON.stringify(credential));
        },
      ),
      { numRuns: 800 * scale },
    );
  });

  it('stays linear on large and pathological SVGs', async () => {
    const big = `<svg xmlns:o="${OB3_NS}">${'<path d="M0 0L1 1" fill="#000"/>'.repeat(100_000)}<o:credential verify="${jwt}"/></svg>`;
    const deep = `<svg xmlns:o="${OB3_NS}">${'<g>'.repeat(50_000)}<o:credential verify="${jwt}"/>${'</g>'.repeat(50_000)}</svg>`;
    const manyAttributes = `<svg ${Array.from({ length: 50_000 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`;
    const laughs = `<!DOCTYPE svg [<!ENTITY x "${'x'.repeat(10_000)}">]><svg a="${'&x;'.repeat(200)}"/>`;
    const deepInsideCredential = `<svg xmlns:o="${OB3_NS}"><o:credential>${'<g>x'.repeat(50_000)}${'</g>'.repeat(50_000)}</o:credential></svg>`;
    const nestedCredentials = `<svg xmlns:o="${OB3_NS}">${'<o:credential>x'.repeat(20)}${'</o:credential>'.repeat(20)}</svg>`;
    const { ms } = await cpuTime(async () => {
      await expectInvalidImage(
        unbake(deepInsideCredential),
        /neither a JSON credential nor a compact JWS \(it starts with "xxxx/,
      );
      await expectInvalidImage(unbake(nestedCredentials), /more than 16 nested/);
      expect((await unbake(big)).text).toBe(jwt);
      expect((await unbake(deep)).text).toBe(jwt);
      await expectInvalidImage(unbake(manyAttributes), /No credential/);
      await expectInvalidImage(unbake(laughs), /expand to more than/);
    });
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses an SVG whose nested namespace declarations would copy more than 100,000 bindings (that would exhaust the heap)', async () => {
    // Each element that declares a namespace gets a copy of its parent's bindings: quadratic in the nesting.
    const nestedDeclarations = `<svg xmlns:o="${OB3_NS}">${Array.from({ length: 50_000 }, (_, i) => `<g xmlns:p${i}="urn:x:${i}">`).join('')}${'</g>'.repeat(50_000)}</svg>`;
    await expectInvalidImage(unbake(nestedDeclarations), /too many namespace declarations/);
    // Badges declare a handful, nested or not.
    const several = `<svg xmlns:o="${OB3_NS}" xmlns:a="urn:a">${Array.from({ length: 50 }, (_, i) => `<g xmlns:p${i}="urn:x:${i}">`).join('')}<o:credential verify="${jwt}"/>${'</g>'.repeat(50)}</svg>`;
    expect((await unbake(several)).text).toBe(jwt);
  });
});
