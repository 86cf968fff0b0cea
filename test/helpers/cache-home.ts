/**
 * Vitest global setup: the `microcred` processes the tests start turn Node's compile cache on (Node >= 22.1) in the
 * user's cache directory (src/cli/compile-cache.ts). The suite must never write to the real home, so every process
 * it starts gets a cache home of its own, removed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cache-home-'));
  process.env.XDG_CACHE_HOME = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
