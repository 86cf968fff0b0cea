/**
 * The `microcred` process turns on Node's compile cache (Node >= 22.8) in the user's own cache directory, and only
 * there: a directory another user could write to, or a symbolic link on the way, is refused and the command still
 * runs; the user's opt-outs write nothing; on a Node without the cache nothing is written at all. Every process here
 * gets XDG_CACHE_HOME and HOME in a temporary directory, so the suite never writes to the real home.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import nodeModule from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileCacheLocation, enableCompileCache, unsafeDirectoryReason } from '../src/cli/compile-cache';
import { BIN } from './helpers/cli';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const CREDENTIAL = path.join(
  ROOT,
  '../shared/fixtures/ob3/spec-signed/impl-guide_test-vector_signed-credential_eddsa-rdfc-2022.json',
);
const nodeHasCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const isRoot = process.getuid?.() === 0;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-compile-cache-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A clean environment: the cache home under `tmp`, none of the variables that steer Node's compile cache. */
function envWith(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(tmp, 'home'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg'),
  };
  for (const k of ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'MICROCRED_NO_COMPILE_CACHE', 'MICROCRED_DEBUG'])
    delete env[k];
  return { ...env, ...extra };
}

/** A fake `node:module` that records the directory it was asked to use. */
function fakeApi(status = 1) {
  const calls: string[] = [];
  return {
    calls,
    api: {
      enableCompileCache: (dir: string) => {
        calls.push(dir);
        return { status, directory: dir };
      },
      constants: { compileCacheStatus: { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 } },
    },
  };
}

/** Every path under `dir` (empty when it does not exist). */
function tree(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [];
}

describe('where the cache may go (any Node)', () => {
  it('is $XDG_CACHE_HOME/microcred/compile-cache, else ~/.cache/…; a relative or empty XDG_CACHE_HOME is ignored', () => {
    expect(compileCacheLocation({ XDG_CACHE_HOME: '/x/c', HOME: '/h' })?.directory).toBe(
      '/x/c/microcred/compile-cache',
    );
    expect(compileCacheLocation({ XDG_CACHE_HOME: 'rel', HOME: '/h' })?.directory).toBe(
      '/h/.cache/microcred/compile-cache',
    );
    expect(compileCacheLocation({ XDG_CACHE_HOME: '', HOME: '/h' })?.base).toBe('/h/.cache');
    expect(compileCacheLocation({})).toBeUndefined();
    expect(compileCacheLocation({ HOME: 'relative' })).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')('creates the directories 0700 and hands Node the user-owned one', () => {
    const { api, calls } = fakeApi();
    const outcome = enableCompileCache(envWith(), api);
    const dir = path.join(tmp, 'xdg', 'microcred', 'compile-cache');
    expect(outcome).toEqual({ enabled: true, directory: dir });
    expect(calls).toEqual([dir]);
    for (const d of [path.join(tmp, 'xdg'), path.join(tmp, 'xdg', 'microcred'), dir])
      expect(fs.statSync(d).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a symbolic link, a group/world-writable or a foreign directory',
    () => {
      const uid = process.getuid?.() ?? 0;
      const base = path.join(tmp, 'xdg');
      const dir = path.join(base, 'microcred', 'compile-cache');
      const elsewhere = path.join(tmp, 'planted');
      fs.mkdirSync(elsewhere, { mode: 0o700 });
      fs.mkdirSync(base, { mode: 0o700 });
      // A link planted where microcred/ goes, and the base itself as a link.
      fs.symlinkSync(elsewhere, path.join(base, 'microcred'));
      expect(unsafeDirectoryReason(base, dir, uid)).toMatch(/microcred is a symbolic link/);
      expect(tree(elsewhere)).toEqual([]);
      fs.rmSync(path.join(base, 'microcred'));
      const linkedBase = path.join(tmp, 'linked-xdg');
      fs.symlinkSync(base, linkedBase);
      expect(unsafeDirectoryReason(linkedBase, path.join(linkedBase, 'microcred', 'compile-cache'), uid)).toMatch(
        /linked-xdg is a symbolic link/,
      );
      // A directory others can write to, on the way (0777) or the cache itself (0770).
      fs.mkdirSync(path.join(base, 'microcred'), { mode: 0o700 });
      fs.chmodSync(path.join(base, 'microcred'), 0o777);
      expect(unsafeDirectoryReason(base, dir, uid)).toMatch(/microcred is writable by other users/);
      fs.chmodSync(path.join(base, 'microcred'), 0o700);
      fs.mkdirSync(dir, { mode: 0o700 });
      fs.chmodSync(dir, 0o770);
      expect(unsafeDirectoryReason(base, dir, uid)).toMatch(/compile-cache is writable by other users/);
      fs.chmodSync(dir, 0o700);
      // An ancestor above the base that others can write to, without the sticky bit of /tmp.
      const open = path.join(tmp, 'open');
      fs.mkdirSync(path.join(open, 'xdg'), { recursive: true, mode: 0o700 });
      fs.chmodSync(open, 0o777);
      expect(unsafeDirectoryReason(path.join(open, 'xdg'), path.join(open, 'xdg', 'm', 'c'), uid)).toMatch(
        /open is writable by other users/,
      );
      fs.chmodSync(open, 0o1777);
      expect(unsafeDirectoryReason(path.join(open, 'xdg'), path.join(open, 'xdg', 'm', 'c'), uid)).toBeUndefined();
      // The same tree as another user's: owned by uid+1 as far as the check can tell.
      expect(unsafeDirectoryReason(base, dir, uid + 1)).toMatch(/belongs to another user/);
      expect(unsafeDirectoryReason(base, dir, uid)).toBeUndefined();
    },
  );

  it.skipIf(!isRoot)('follows a root-owned link above the base and checks where it leads', () => {
    // Root's own links are trusted as links; the directory one leads to is held to the same rules.
    const target = path.join(tmp, 'shared-target');
    fs.mkdirSync(path.join(target, 'xdg'), { recursive: true, mode: 0o700 });
    fs.chmodSync(target, 0o777);
    fs.symlinkSync(target, path.join(tmp, 'link'));
    const base = path.join(tmp, 'link', 'xdg');
    const dir = path.join(base, 'microcred', 'compile-cache');
    expect(unsafeDirectoryReason(base, dir, 0)).toBe(`${target} is writable by other users`);
    fs.chmodSync(target, 0o755);
    fs.chownSync(target, 65534, 65534);
    expect(unsafeDirectoryReason(base, dir, 0)).toBe(`${target} belongs to another user (uid 65534)`);
    fs.chownSync(target, 0, 0);
    expect(unsafeDirectoryReason(base, dir, 0)).toBeUndefined();
  });

  it.skipIf(!isRoot)('refuses a cache directory another user really owns (root can chown)', () => {
    const { api, calls } = fakeApi();
    const dir = path.join(tmp, 'xdg', 'microcred', 'compile-cache');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chownSync(dir, 65534, 65534);
    const outcome = enableCompileCache(envWith(), api);
    expect(outcome).toEqual({ enabled: false, reason: `${dir} belongs to another user (uid 65534)` });
    expect(calls).toEqual([]);
  });

  it('writes nothing and asks Node nothing when the user opted out, Node has no cache, or there is no home', () => {
    for (const extra of [
      { MICROCRED_NO_COMPILE_CACHE: '1' },
      { NODE_DISABLE_COMPILE_CACHE: '1' },
      { NODE_COMPILE_CACHE: path.join(tmp, 'theirs') },
    ]) {
      const { api, calls } = fakeApi();
      expect(enableCompileCache(envWith(extra), api).enabled).toBe(false);
      expect(calls).toEqual([]);
    }
    expect(enableCompileCache(envWith(), {}).enabled).toBe(false);
    const noHome = envWith();
    delete noHome.HOME;
    delete noHome.XDG_CACHE_HOME;
    const { api, calls } = fakeApi();
    expect(enableCompileCache(noHome, api)).toEqual({
      enabled: false,
      reason: 'neither XDG_CACHE_HOME nor HOME is an absolute path',
    });
    expect(calls).toEqual([]);
    expect(tree(tmp)).toEqual([]);
  });

  it('never throws: a file where a directory goes, Node failing or throwing', () => {
    fs.mkdirSync(path.join(tmp, 'xdg'));
    fs.writeFileSync(path.join(tmp, 'xdg', 'microcred'), '');
    const { api, calls } = fakeApi();
    expect(enableCompileCache(envWith(), api)).toMatchObject({
      enabled: false,
      reason: /microcred is not a directory/,
    });
    expect(calls).toEqual([]);
    fs.rmSync(path.join(tmp, 'xdg', 'microcred'));
    expect(enableCompileCache(envWith(), fakeApi(0).api)).toEqual({ enabled: false, reason: 'Node answered FAILED' });
    const throwing = {
      enableCompileCache: () => {
        throw new Error('EACCES');
      },
    };
    expect(enableCompileCache(envWith(), throwing)).toEqual({ enabled: false, reason: 'EACCES' });
  });
});

/** `microcred verify --offline` of a signed fixture, from the sources, in a fresh process of the Node running this. */
function verifyOnce(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['--import', TSX, BIN, 'verify', '--offline', '--json', CREDENTIAL], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the microcred process', () => {
  it.runIf(!nodeHasCache)(
    'on a Node without a compile cache writes nothing and runs the command',
    () => {
      const r = verifyOnce(envWith({ MICROCRED_DEBUG: '1' }));
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).verified).toBe(false);
      expect(r.stderr).toContain('microcred: compile cache not used: this Node has none');
      expect(tree(tmp)).toEqual([]);
    },
    120_000,
  );

  it.runIf(nodeHasCache)(
    'creates the cache 0700 in the user-owned directory, and the next run reads it back; same report',
    () => {
      const baseline = verifyOnce(envWith({ MICROCRED_NO_COMPILE_CACHE: '1' }));
      expect(tree(tmp)).toEqual([]);
      const first = verifyOnce(envWith());
      const dir = path.join(tmp, 'xdg', 'microcred', 'compile-cache');
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(tmp, 'xdg', 'microcred')).mode & 0o777).toBe(0o700);
      const files = tree(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile());
      expect(files.length).toBeGreaterThan(10);
      // Node's own report of its cache: the second process accepts what the first one wrote.
      const second = verifyOnce(envWith({ NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }));
      expect(second.stderr).toMatch(/\[compile cache\] .* was accepted/);
      expect(second.stderr).not.toContain(os.tmpdir() + path.sep + 'node-compile-cache');
      for (const r of [first, second]) {
        expect(r.code).toBe(baseline.code);
        expect(r.stdout).toBe(baseline.stdout);
      }
    },
    120_000,
  );

  it.runIf(nodeHasCache)(
    'refuses a planted symbolic link or a 0777 directory, says so under MICROCRED_DEBUG, and runs',
    () => {
      const planted = path.join(tmp, 'planted');
      fs.mkdirSync(planted, { mode: 0o700 });
      fs.mkdirSync(path.join(tmp, 'xdg'), { mode: 0o700 });
      fs.symlinkSync(planted, path.join(tmp, 'xdg', 'microcred'));
      const linked = verifyOnce(envWith({ MICROCRED_DEBUG: '1' }));
      expect(linked.code).toBe(1);
      expect(JSON.parse(linked.stdout).verified).toBe(false);
      expect(linked.stderr).toContain(
        `compile cache not used: ${path.join(tmp, 'xdg', 'microcred')} is a symbolic link`,
      );
      expect(tree(planted)).toEqual([]);
      fs.rmSync(path.join(tmp, 'xdg', 'microcred'));
      fs.mkdirSync(path.join(tmp, 'xdg', 'microcred', 'compile-cache'), { recursive: true });
      fs.chmodSync(path.join(tmp, 'xdg', 'microcred', 'compile-cache'), 0o777);
      const open = verifyOnce(envWith({ MICROCRED_DEBUG: '1' }));
      expect(open.code).toBe(1);
      expect(open.stderr).toMatch(/compile cache not used: \S+compile-cache is writable by other users/);
      expect(tree(path.join(tmp, 'xdg', 'microcred', 'compile-cache'))).toEqual([]);
    },
    120_000,
  );

  it.runIf(nodeHasCache)(
    'writes nothing under MICROCRED_NO_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE',
    () => {
      for (const extra of [{ MICROCRED_NO_COMPILE_CACHE: '1' }, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
        const r = verifyOnce(envWith(extra));
        expect(r.code).toBe(1);
        expect(tree(tmp)).toEqual([]);
      }
    },
    120_000,
  );

  it.runIf(nodeHasCache)(
    'microcred serve writes the cache once listening, before any exit (SIGKILL here)',
    async () => {
      const workspace = path.join(tmp, 'office');
      const init = spawnSync(
        process.execPath,
        [
          '--import',
          TSX,
          BIN,
          'init',
          workspace,
          '--name',
          'Cache University',
          '--country',
          'EE',
          '--status-url',
          'https://example.edu/s/',
        ],
        { cwd: ROOT, encoding: 'utf8', env: envWith({ MICROCRED_NO_COMPILE_CACHE: '1' }), timeout: 120_000 },
      );
      expect(init.status).toBe(0);
      expect(tree(path.join(tmp, 'xdg'))).toEqual([]);
      const child = spawn(
        process.execPath,
        ['--import', TSX, BIN, 'serve', '-w', workspace, '--port', '0', '--no-web', '--offline'],
        { cwd: ROOT, env: envWith(), stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        let stderr = '';
        child.stderr?.on('data', (chunk) => (stderr += chunk));
        const dir = path.join(tmp, 'xdg', 'microcred', 'compile-cache');
        const cached = () =>
          tree(dir).filter((f) => !path.basename(f).includes('.') && fs.statSync(path.join(dir, f)).isFile());
        // The flush follows the "Serving" line; the server never exits on its own, so nothing else writes the cache.
        for (let waited = 0; waited < 60_000 && !(stderr.includes('Serving ') && cached().length > 10); waited += 100)
          await new Promise((r) => setTimeout(r, 100));
        expect(stderr).toContain('Serving ');
        expect(cached().length).toBeGreaterThan(10);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
    },
    120_000,
  );
});
