/**
 * Each `microcred` command loads only what it needs: a registrar's `microcred verify` does not load the issuing
 * service (Hono, the OpenID4VCI library and its zod schemas), which once made every command pay for it at start-up.
 * The modules a real process loads are recorded by a loader hook (test/helpers/record-loads.mjs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN } from './helpers/cli';

const ROOT = path.resolve(__dirname, '..');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-lazy-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function loadedBy(args: string[]): { code: number | null; loaded: string[] } {
  const record = path.join(dir, `${args[0]}-${Date.now()}.txt`);
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const hook = pathToFileURL(path.join(ROOT, 'test', 'helpers', 'record-loads.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, '--import', hook, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RECORD_LOADS: record },
    timeout: 120_000,
  });
  return { code: r.status, loaded: fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n') : [] };
}

const SERVICE = /\/src\/server\/|\/node_modules\/(hono|@hono|@openid4vc|zod)\//;
const YAML = /\/node_modules\/yaml\//;

it('microcred verify loads no part of the service and no YAML parser; microcred serve --help does', () => {
  const verify = loadedBy(['verify', '--offline', 'test/fixtures-own/eu-microcredential.json']);
  expect(verify.code).toBe(1);
  expect(verify.loaded.some((u) => u.includes('/src/cli/commands/verify.ts'))).toBe(true);
  expect(verify.loaded.filter((u) => SERVICE.test(u))).toEqual([]);
  expect(verify.loaded.filter((u) => YAML.test(u))).toEqual([]);
  const serve = loadedBy(['serve', '--help']);
  expect(serve.code).toBe(0);
  expect(serve.loaded.some((u) => SERVICE.test(u))).toBe(true);
}, 120_000);
