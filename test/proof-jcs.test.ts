import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MicrocredError } from '../src/errors';
import { canonicalizeJcs } from '../src/proof';
import { canonicalizeJcsBytes } from '../src/proof/jcs';
import referenceJcs from 'canonicalize';

const fromHex = (hex: string) =>
  new DataView(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))).buffer).getFloat64(0);

describe('JCS (RFC 8785)', () => {
  it('§3.2.2 example: numbers, string escapes and literals', () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalizeJcs(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('§3.2.3 example: keys sort by UTF-16 code units (the emoji, a surrogate pair, sorts before U+FB33)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalizeJcs(input)) as object);
    // Integer-like keys come first in JS objects whatever the order, so compare the serialized order instead.
    const order = [...canonicalizeJcs(input).matchAll(/"([^"]*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    expect(order).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(keys.length).toBe(7);
  });

  it('Appendix B: IEEE 754 values serialize as ECMAScript does; NaN and Infinity are errors', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ];
    for (const [hex, expected] of cases) expect(canonicalizeJcs(fromHex(hex)), hex).toBe(expected);
    for (const hex of ['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000']) {
      expect(() => canonicalizeJcs([fromHex(hex)])).toThrow(MicrocredError);
    }
  });

  it('refuses what is not I-JSON data, with a path, instead of changing it', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: unknown = 'leaf';
    for (let i = 0; i < 500; i++) deep = [deep];
    const cases: [unknown, RegExp][] = [
      [{ s: 'lone \ud800 high' }, /surrogate/],
      [{ s: 'lone \udc00 low' }, /surrogate/],
      [{ ['key\udfff']: 1 }, /surrogate/],
      [cyclic, /cycle/],
      [deep, /deeper/],
      [{ when: new Date(0) }, /plain JSON objects/],
      [{ m: new Map() }, /plain JSON objects/],
      [{ n: 10n }, /bigint/],
      [{ f: () => 1 }, /function/],
      [undefined, /undefined/],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        canonicalizeJcs(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MicrocredError);
      expect((error as MicrocredError).message).toMatch(message);
    }
    try {
      canonicalizeJcs({ a: [{ b: NaN }] });
    } catch (e) {
      expect((e as MicrocredError).path).toBe('$.a[0].b');
    }
  });

  it('a surrogate pair is fine; shared (non-cyclic) references are fine; undefined members are absent; holes are null', () => {
    const shared = { x: 1 };
    expect(
      canonicalizeJcs({
        e: '\ud83d\ude00',
        a: shared,
        b: shared,
        u: undefined,
        // biome-ignore lint/suspicious/noSparseArray: a hole must serialize as null, as JSON.stringify does
        h: [1, , 3],
        nul: Object.assign(Object.create(null), { k: 1 }),
      }),
    ).toBe('{"a":{"x":1},"b":{"x":1},"e":"😀","h":[1,null,3],"nul":{"k":1}}');
  });

  it('agrees byte for byte with `canonicalize` (the JCS of the reference eddsa-jcs-2022 suite) on generated JSON', () => {
    // Odd strings (controls, quotes, non-BMP, U+2028) in keys and values, deep nesting, -0, 1e21, tiny doubles.
    const text = fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        ' ',
        '\t',
        '\n',
        '\u0000',
        '\u001f',
        '\u007f',
        '"',
        '\\',
        '/',
        'é',
        '€',
        '😀',
        '\u2028',
        '\ufb33',
      ),
    });
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(-0, 1e21, 1e-7, 5e-324, 0.1 + 0.2, 2 ** 53),
    );
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        number,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalizeJcs(value)).toBe(referenceJcs(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('sorts objects of every width as `canonicalize` does: few members, many (past the small-object sort), index-like names', () => {
    // Names that share prefixes, differ only past the BMP, look like array indices (Object.keys lists those first, in
    // numeric order) or are empty: the small-object sort and Array#sort must both give UTF-16 code unit order.
    const name = fc.oneof(
      fc.constantFrom(...['', ...'a aa ab b A Z 0 1 2 10 9 01 -1 😀 \ufb33 é e'.split(' ')]),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', '😀', '\ufb33'), maxLength: 3 }),
      fc.nat(40).map(String),
    );
    const json = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(name, tie('value'), { maxKeys: 30 }),
      ),
    })).value;
    const wide = fc.dictionary(name, json, { minKeys: 10, maxKeys: 40, size: 'max' });
    fc.assert(
      fc.property(fc.oneof(json, wide), (value) => {
        expect(canonicalizeJcs(value)).toBe(referenceJcs(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('properties: parses back to the same value, is a fixed point, and ignores key order (generated JSON)', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).match(/\\ud[89a-f]/i));
    fc.assert(
      fc.property(json, (value) => {
        const c = canonicalizeJcs(value);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalizeJcs(JSON.parse(c))).toBe(c);
        const reversed = JSON.parse(
          JSON.stringify(value, (_k, v: unknown) =>
            v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
          ),
        );
        expect(canonicalizeJcs(reversed)).toBe(c);
        expect(c.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/\s/); // no whitespace outside strings
      }),
      { numRuns: 500 },
    );
  });
});

describe('JCS as bytes (what a proof hashes)', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  // Every code unit class the writer treats apart: plain ASCII, each short escape, the other controls (\u00XX),
  // DEL, two- and three-byte UTF-8, U+2028, surrogate pairs, and lone surrogates (refused).
  const unit = fc.constantFrom(
    ...['a', 'Z', ' ', '~', '\u007f', '"', '\\', '/', '\b', '\t', '\n', '\f', '\r', '\u0000', '\u000b', '\u001f'],
    ...['é', '\u00ff', '\u0100', '\u07ff', '\u0800', '€', '\u2028', '\ufb33', '\uffff', '😀', '\udbff\udfff'],
    ...['\ud800', '\udc00'],
  );
  const text = fc.oneof(fc.string({ unit }), fc.string({ unit, minLength: 40, maxLength: 120 }), fc.string());
  const json = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.double(),
      fc.constantFrom(-0, 1e21, 5e-324, 2 ** 53, true, false, null, undefined),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    ),
  })).value;

  /** What JCS must refuse here: a lone surrogate, a non-finite number, undefined at the top (a member's is absent). */
  const wellFormed = (text: string) => {
    try {
      encodeURIComponent(text); // throws URIError on a lone surrogate
      return true;
    } catch {
      return false;
    }
  };
  const notIJson = (value: unknown): boolean =>
    typeof value === 'string'
      ? !wellFormed(value)
      : typeof value === 'number'
        ? !Number.isFinite(value)
        : value === undefined ||
          (typeof value === 'object' &&
            value !== null &&
            Object.entries(value).some(([k, v]) => v !== undefined && (!wellFormed(k) || notIJson(v))));

  /** The outcome of one serializer: its UTF-8 bytes, or the error it threw (class, message and path). */
  const outcome = (run: () => Uint8Array | string) => {
    try {
      const result = run();
      return { bytes: Buffer.from(typeof result === 'string' ? utf8(result) : result).toString('hex') };
    } catch (e) {
      return { error: [(e as Error).constructor.name, (e as Error).message, (e as MicrocredError).path] };
    }
  };

  it('are the UTF-8 of `canonicalize`, and refuse what canonicalizeJcs refuses with the same error and path', () => {
    fc.assert(
      fc.property(json, (value) => {
        const bytes = outcome(() => canonicalizeJcsBytes(value));
        expect(bytes).toEqual(outcome(() => canonicalizeJcs(value)));
        expect('error' in bytes).toBe(notIJson(value));
        if ('bytes' in bytes) expect(bytes.bytes).toBe(Buffer.from(utf8(referenceJcs(value)!)).toString('hex'));
      }),
      { numRuns: 3000 },
    );
  });

  it('a document larger than the kept buffer; a later call leaves an earlier answer alone', () => {
    const big = { items: Array.from({ length: 3000 }, (_, i) => ({ n: i, text: `é${'x'.repeat(i % 50)}😀\n` })) };
    expect(Buffer.from(canonicalizeJcsBytes(big)).toString()).toBe(referenceJcs(big));
    // The buffer kept between calls is not handed out: a later call does not change an earlier answer.
    const first = canonicalizeJcsBytes({ a: 1 });
    canonicalizeJcsBytes({ b: 2 });
    expect(Buffer.from(first).toString()).toBe('{"a":1}');
  });

  it('a getter that asks for JCS in the middle of a walk gets its own answer and leaves the outer one whole', () => {
    const inner = { z: 'inner', a: [1, 2] };
    const seen: string[] = [];
    const outer = {
      b: 'before',
      get c() {
        seen.push(canonicalizeJcs(inner), Buffer.from(canonicalizeJcsBytes(inner)).toString());
        return 'got';
      },
      d: [{ e: 'after' }],
    };
    expect(Buffer.from(canonicalizeJcsBytes(outer)).toString()).toBe('{"b":"before","c":"got","d":[{"e":"after"}]}');
    expect(seen).toEqual(['{"a":[1,2],"z":"inner"}', '{"a":[1,2],"z":"inner"}']);
  });
});
