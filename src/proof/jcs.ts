import { MicrocredError } from '../errors';

/**
 * JSON Canonicalization Scheme (RFC 8785). ECMAScript's own number and string serialization is what the RFC
 * specifies, so JSON.stringify does the leaves; object keys are sorted by UTF-16 code units, as Array#sort does.
 * I-JSON forbids lone surrogates and non-finite numbers: those are errors, never silently changed.
 */
export function canonicalizeJcs(value: unknown): string {
  return serialize(value, '$');
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new MicrocredError('INVALID_INPUT', `JCS cannot encode ${value}`, { path });
      return JSON.stringify(value);
    case 'string':
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
        throw new MicrocredError('INVALID_INPUT', 'JCS cannot encode a string with a lone surrogate', { path });
      }
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => serialize(v === undefined ? null : v, `${path}[${i}]`)).join(',')}]`;
      const entries = Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${serialize(k, path)}:${serialize((value as Record<string, unknown>)[k], `${path}.${k}`)}`);
      return `{${entries.join(',')}}`;
    }
    default:
      throw new MicrocredError('INVALID_INPUT', `JCS cannot encode a ${typeof value}`, { path });
  }
}
