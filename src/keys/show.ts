/**
 * A value as text for an error message. `String(v)` throws on objects such as `{"toString": 1}` (which JSON can
 * carry), so untrusted values go through this instead: strings as they are, anything else as (bounded) JSON.
 */
export function show(value: unknown, max = 120): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value;
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
