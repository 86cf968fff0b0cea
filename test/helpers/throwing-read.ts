/**
 * Makes `target[key]` a getter that throws at its `failing`-th read (counting from 1) and gives the old value at every
 * other read: a caller's object that fails once, the input for a check that must not read it a second time after a
 * throw (a second read that succeeds would turn the refusal into a pass).
 */
export function throwAtRead(
  target: object,
  key: PropertyKey,
  failing: number,
  message = `read ${failing} fails`,
): { reads(): number; thrownAt(): string } {
  const value = (target as Record<PropertyKey, unknown>)[key];
  let reads = 0;
  let thrownAt = '';
  Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      if (++reads !== failing) return value;
      thrownAt = new Error().stack ?? '';
      throw new Error(message);
    },
  });
  return { reads: () => reads, thrownAt: () => thrownAt };
}
