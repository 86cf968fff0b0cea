/** Median and interquartile spread of per-round timings, in ms per operation. */
export function summarize(samples: number[]): { median: number; p25: number; p75: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
  return { median: at(0.5), p25: at(0.25), p75: at(0.75) };
}

/** Runs `fn` `iterations` times and returns ms per operation. */
export async function timeIt(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}
