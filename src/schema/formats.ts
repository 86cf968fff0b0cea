import { fullFormats as ajvFullFormats } from 'ajv-formats/dist/formats.js';

/**
 * The format checks the generated validators use: ajv-formats' full ones, with `uri` answered first by a small
 * regular expression for the URIs credentials are made of. ajv-formats' URI expression is huge (IPv6 literals,
 * userinfo, percent-escapes), and V8 compiles a regular expression on its first use and again to machine code on
 * its second: ~5 ms of every process's first credential. The small one is the large one with those alternatives
 * left out, piece by piece (a `//` authority of a registered name and an optional port, or a path of plain
 * characters; query; fragment, all without `%`), so whatever it accepts the large one accepts; anything else is
 * decided by ajv-formats' `uri` itself. test/schema-formats.test.ts holds the two to the same answers.
 */
export const COMMON_URI =
  /^[a-z][a-z0-9+\-.]*:(?:\/\/[a-z0-9\-._~!$&'()*+,;=]*(?::\d*)?(?:\/[a-z0-9\-._~!$&'()*+,;=:@]*)*|[a-z0-9\-._~!$&'()*+,;=:@]+(?:\/[a-z0-9\-._~!$&'()*+,;=:@]*)*)(?:\?[a-z0-9\-._~!$&'()*+,;=:@/?]*)?(?:#[a-z0-9\-._~!$&'()*+,;=:@/?]*)?$/i;

const ajvUri = ajvFullFormats.uri as (value: string) => boolean;

export const fullFormats: typeof ajvFullFormats = {
  ...ajvFullFormats,
  uri: (value: string): boolean => COMMON_URI.test(value) || ajvUri(value),
};
