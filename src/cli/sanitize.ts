/**
 * Text from a credential (names, titles, messages that quote it) is the author's, not ours: printed raw, escape
 * sequences could move the cursor, erase lines and draw a fake "VERIFIED" over "NOT VERIFIED", and bidirectional
 * overrides could reorder what a registrar reads. Everything printed goes through these functions.
 */

/** C0 controls, DEL, C1 controls (0x9B is an 8-bit CSI), bidi embeddings/overrides/isolates, line/paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, sparing newline and tab: for text we assembled ourselves, where line breaks are ours. */
const UNSAFE_KEEP_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One value from a credential, on one line: every control character shown as a visible escape (`\x1b`). */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Whole output assembled by the CLI: our line breaks stay, anything else unsafe is escaped. */
export function safeOutput(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, escapeChar);
}

/** JSON output: JSON.stringify escapes C0 but not DEL, C1 or bidi controls; these become \u escapes (still valid JSON). */
export function safeJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A deep copy with every string made safe by {@link safeText} (for formatting a report field by field). */
export function safeDeep<T>(value: T): T {
  if (typeof value === 'string') return safeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => safeDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = safeDeep(v);
    return out as T;
  }
  return value;
}
