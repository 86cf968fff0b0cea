/**
 * onDemand: a module loaded at first use is kept (a verification that needs it every time does not resolve it again),
 * and a load that failed is tried again at the next call (a page that lost its network once is not broken for good).
 */
import { expect, it } from 'vitest';
import { onDemand } from '../src/shared/on-demand';

it('loads once and hands back the same module afterwards, also to calls made while it loads', async () => {
  let loads = 0;
  const load = onDemand(async () => ({ n: ++loads }));
  const [a, b] = await Promise.all([load(), load()]);
  const c = await load();
  expect(loads).toBe(1);
  expect(a).toBe(b);
  expect(c).toBe(a);
});

it('tries again after a failed load', async () => {
  let loads = 0;
  const load = onDemand(async () => {
    loads++;
    if (loads === 1) throw new Error('network lost');
    return { ok: true };
  });
  await expect(load()).rejects.toThrow('network lost');
  await expect(load()).resolves.toEqual({ ok: true });
  await load();
  expect(loads).toBe(2);
});
