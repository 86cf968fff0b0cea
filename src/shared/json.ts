/**
 * Small readers for credentials taken as plain JSON, shared by every module that walks one (they were copied into
 * half a dozen files). JSON-LD writes a one-element set as the value itself, so a set-valued member is read with
 * `asList`.
 */

/** A JSON object (not null, not an array): the shape a credential, a proof or a profile must have. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A set-valued member as a list: absent (undefined) is empty, one value is a list of one. `null` is a value. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Like {@link asList}, for readers that take an explicit `null` as absent too (as JSON authors often mean it). */
export function asListOrEmpty(value: unknown): unknown[] {
  return value === null ? [] : asList(value);
}
