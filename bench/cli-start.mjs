/**
 * Start-up of the built `microcred` CLI with its compile cache off and on (src/cli/compile-cache.ts, Node >= 22.1):
 * fresh processes, the two variants interleaved run by run, medians. Two measurements:
 *
 * - `microcred verify --offline <signed fixture>`: wall clock and CPU time (user + system, all threads, as the shell's
 *   `times` reports it for its child, to the millisecond) from spawn to exit;
 * - `microcred serve --port 0 --no-web --offline` on a fresh workspace: wall clock from spawn to the "Serving" line.
 *
 * "off" is MICROCRED_NO_COMPILE_CACHE=1; "on" has a cache directory (XDG_CACHE_HOME) that one untimed run filled, as
 * every run after a user's first finds it.
 *
 *   npm run build && node bench/cli-start.mjs --runs 21 --node "$(npx -y -p node@22 -c 'command -v node')"
 *   node bench/cli-start.mjs --runs 3 --instructions --node …   # verify only, instructions counted under valgrind
 *
 * With --instructions each `verify` process runs under valgrind (callgrind, all threads) and its instruction count
 * is reported instead of times: other processes' load does not move it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '11' },
    node: { type: 'string' },
    instructions: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const node = values.node ?? process.execPath;
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cli)) throw new Error('bench/cli-start.mjs runs the built CLI: run "npm run build" first');
const credential = path.join(
  root,
  '../shared/fixtures/ob3/spec-signed/impl-guide_test-vector_signed-credential_eddsa-rdfc-2022.json',
);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-start-'));
const {
  NODE_COMPILE_CACHE: _a,
  NODE_DISABLE_COMPILE_CACHE: _b,
  MICROCRED_NO_COMPILE_CACHE: _c,
  ...clean
} = process.env;
const variants = {
  off: { ...clean, XDG_CACHE_HOME: path.join(dir, 'off'), MICROCRED_NO_COMPILE_CACHE: '1' },
  on: { ...clean, XDG_CACHE_HOME: path.join(dir, 'on') },
};
fs.mkdirSync(variants.off.XDG_CACHE_HOME, { mode: 0o700 });
fs.mkdirSync(variants.on.XDG_CACHE_HOME, { mode: 0o700 });

/** One `verify` process: wall and CPU milliseconds. */
function verifyOnce(env) {
  // The shell's `times`: its children's user and system time, e.g. "0m0.152s 0m0.031s" on its second line.
  const script = '"$@" >/dev/null; code=$?; times >&2; exit $code';
  const t0 = performance.now();
  const child = spawnSync('bash', ['-c', script, 'bash', node, cli, 'verify', '--offline', credential], {
    env,
    encoding: 'utf8',
  });
  const wall = performance.now() - t0;
  if (child.status !== 1) throw new Error(`microcred verify: exit ${child.status}: ${child.stderr}`);
  const seconds = [
    ...child.stderr
      .trim()
      .split('\n')
      .at(-1)
      .matchAll(/(\d+)m([\d.]+)s/g),
  ].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: (seconds[0] + seconds[1]) * 1000 };
}

/** One `serve` process: milliseconds from spawn to its "Serving" line, then SIGTERM and its exit. */
function serveOnce(env, workspace) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(node, [cli, 'serve', '-w', workspace, '--port', '0', '--no-web', '--offline'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let listening;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (listening === undefined && stderr.includes('Serving ')) {
        listening = performance.now() - t0;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      if (listening === undefined) reject(new Error(`microcred serve never listened: ${stderr}`));
      else resolve(listening);
    });
  });
}

/** Instructions one `verify` process executes, all threads, counted by valgrind's callgrind. */
function verifyInstructions(env) {
  const { NODE_EXTRA_CA_CERTS: _, ...rest } = env;
  const child = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      '--smc-check=all-non-file',
      node,
      cli,
      'verify',
      '--offline',
      credential,
    ],
    { env: rest, encoding: 'utf8' },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(child.stderr ?? '');
  if (child.status !== 1 || !refs) throw new Error(`valgrind microcred verify failed: ${child.error ?? child.stderr}`);
  return Number(refs[1].replaceAll(',', ''));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Times `verify` and `serve` with the cache off and on, interleaved, and prints the medians. */
async function timeStartUps(workspace) {
  const verify = { off: [], on: [] };
  const serve = { off: [], on: [] };
  for (let run = 0; run < runs; run++) {
    for (const name of run % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      verify[name].push(verifyOnce(variants[name]));
      serve[name].push(await serveOnce(variants[name], workspace));
    }
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `microcred start-up, ${version}, median of ${runs} interleaved runs per variant (load average ${os.loadavg()[0].toFixed(1)})`,
  );
  const ms = (x) => x.toFixed(1);
  for (const name of ['off', 'on']) {
    const wall = median(verify[name].map((r) => r.wall));
    const cpu = median(verify[name].map((r) => r.cpu));
    console.log(
      `cache ${name.padEnd(3)}  verify --offline: ${ms(wall)} ms wall, ${ms(cpu)} ms CPU;  serve to listening: ${ms(median(serve[name]))} ms`,
    );
  }
  const ratio = (f) => (f('on') / f('off')).toFixed(2);
  console.log(
    `on/off     verify wall ${ratio((n) => median(verify[n].map((r) => r.wall)))}, verify CPU ${ratio((n) => median(verify[n].map((r) => r.cpu)))}, serve ${ratio((n) => median(serve[n]))}`,
  );
}

try {
  const workspace = path.join(dir, 'office');
  const init = spawnSync(
    node,
    [cli, 'init', workspace, '--name', 'Bench University', '--country', 'EE', '--status-url', 'https://example.edu/s/'],
    { env: variants.off, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`microcred init: ${init.stderr}`);
  // The untimed first run that fills the cache ("on"), and one of each for the file system's caches.
  for (const env of [variants.on, variants.off]) {
    verifyOnce(env);
    await serveOnce(env, workspace);
  }
  if (values.instructions) {
    const counts = { off: [], on: [] };
    for (let run = 0; run < runs; run++)
      for (const name of run % 2 === 0 ? ['off', 'on'] : ['on', 'off'])
        counts[name].push(verifyInstructions(variants[name]));
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`microcred verify --offline under valgrind, ${version}, median of ${runs} runs per variant`);
    const m = (xs) => `${(median(xs) / 1e6).toFixed(1)}M`;
    for (const name of ['off', 'on'])
      console.log(
        `cache ${name.padEnd(3)}  ${m(counts[name])} instructions  (${counts[name].map((n) => (n / 1e6).toFixed(1)).join(', ')})`,
      );
    console.log(`on/off     ${(median(counts.on) / median(counts.off)).toFixed(3)}`);
  } else {
    await timeStartUps(workspace);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
