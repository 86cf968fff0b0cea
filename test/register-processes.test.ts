/**
 * The register under real concurrency and real crashes: separate Node processes on one SQLite file (or one
 * PostgreSQL database), and a batch killed with SIGKILL (no cleanup, no finally blocks) in the middle of its work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defaultDriver, openDatabase } from '../src/node/register/driver';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialHash, openPostgresRegister, openSqliteRegister, type IssuanceRecord } from '../src/node/register';
import { describePostgres, freshSchema, rawSql, waitUntilNoRows } from './helpers/postgres';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'test', 'helpers', 'register-child.ts');
const LIST = 'https://registrar.example.edu/status/revocation-1';
const SIZE = 131_072;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-proc-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching, or rejects when the child exits first. */
  waitFor(predicate: (line: string, all: string[]) => boolean): Promise<string>;
  /** Resolves once the child has exited and its output is closed, so that `lines` holds every line it wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs the helper in its own `node` process (not via the tsx CLI, which would put a second process in between). */
function runChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { predicate: (line: string, all: string[]) => boolean; resolve: (l: string) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.predicate(line, lines)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  // 'close', not 'exit': a process can be gone while the last of what it wrote is still unread in the pipe.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    process: child,
    lines,
    exited,
    waitFor: (predicate) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal }) =>
          reject(
            new Error(
              `child exited (${code ?? signal}) before the expected line:\n${stderr}\n${lines.slice(-5).join('\n')}`,
            ),
          ),
        );
      }),
  };
}

/**
 * Blocks this process, reading nothing from its children, until `done()` holds (polled every 20 ms): what a test
 * process starved of CPU on a loaded machine does by chance, done on purpose. False if it still did not hold after
 * 60 s (a child that failed: the caller goes on to report how it exited).
 */
function holdTheEventLoopUntil(done: () => boolean): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) return false;
    Atomics.wait(sleeper, 0, 0, 20);
  }
  return true;
}

/**
 * Starts two `allocate ... meet` children so that they certainly run at the same time: each allocates its first index,
 * then waits until both have, whatever the scheduler did with either start.
 */
async function startTogether(children: Child[]): Promise<void> {
  await Promise.all(children.map((c) => c.waitFor((l) => l === 'ready')));
  const first = children.map((c) => c.waitFor((l) => l === 'first'));
  for (const c of children) c.process.stdin!.write('go\n');
  await Promise.all(first);
  for (const c of children) c.process.stdin!.write('go\n');
}

async function freshRegister(name: string): Promise<string> {
  const file = path.join(dir, name);
  const register = await openSqliteRegister(file);
  await register.ensureStatusList({ id: LIST, purpose: 'revocation', size: SIZE });
  await register.close();
  return file;
}

/** Reads what is on disk with the driver directly, independent of the register's own queries. */
async function inspect(file: string) {
  const db = await openDatabase(file, { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      foreignKeyProblems: db.pragma('foreign_key_check') as unknown[],
      allocations: (db.prepare('SELECT idx FROM allocations WHERE list_id = ?').all(LIST) as { idx: number }[]).map(
        (r) => r.idx,
      ),
      issuances: db
        .prepare('SELECT key, credential_id AS credentialId, state, status_index AS statusIndex FROM issuances')
        .all() as {
        key: string;
        credentialId: string;
        state: string;
        statusIndex: number;
      }[],
    };
  } finally {
    db.close();
  }
}

function expectConsistent(
  records: { key: string; credentialId: string; statusIndex?: number }[],
  allocations: number[],
): void {
  const indexes = records.map((r) => r.statusIndex);
  expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
  expect(new Set(records.map((r) => r.credentialId)).size).toBe(records.length);
  expect(new Set(indexes).size).toBe(records.length);
  // Every allocated index belongs to a credential and vice versa: no index leaked by the crash.
  expect([...indexes].sort((a, b) => a! - b!)).toEqual([...allocations].sort((a, b) => a - b));
}

describe('two processes allocating at once', () => {
  it('hand out 4,000 distinct indexes between them and lose none', async () => {
    const file = await freshRegister('alloc.sqlite');
    const children = [
      runChild(['allocate', file, LIST, '2000', 'meet']),
      runChild(['allocate', file, LIST, '2000', 'meet']),
    ];
    await startTogether(children);
    const results = await Promise.all(
      children.map(async (c) => {
        const { code, stderr } = await c.exited;
        expect(code, stderr).toBe(0);
        return JSON.parse(c.lines.at(-1)!) as { indexes: number[]; firstAt: number; lastAt: number };
      }),
    );
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    // They really ran at the same time: each started before the other finished.
    expect(a.firstAt).toBeLessThan(b.lastAt);
    expect(b.firstAt).toBeLessThan(a.lastAt);
    expect(a.indexes).toHaveLength(2000);
    expect(b.indexes).toHaveLength(2000);
    const union = new Set([...a.indexes, ...b.indexes]);
    expect(union.size).toBe(4000);
    for (const i of union) expect(i >= 0 && i < SIZE && Number.isInteger(i)).toBe(true);

    const disk = await inspect(file);
    expect(disk.integrity).toBe('ok');
    expect(disk.allocations).toHaveLength(4000);
    expect(new Set(disk.allocations)).toEqual(union);
    const register = await openSqliteRegister(file);
    expect((await register.ensureStatusList({ id: LIST, purpose: 'revocation', size: SIZE })).allocated).toBe(4000);
    await register.close();
  });

  /**
   * Two registrars run one roster of 300 at once, one forwards and one backwards, so that they meet in the middle.
   * With `starve`, this process reads nothing from them until both have closed the register (a test runner starved
   * of CPU on a loaded machine, made certain): what they write queues in their pipes.
   */
  async function sameRosterTwice(name: string, starve: boolean): Promise<{ file: string; children: Child[] }> {
    const file = await freshRegister(name);
    const children = [
      runChild(['issue', file, LIST, '0', '300', 'barrier']),
      runChild(['issue', file, LIST, '0', '300', 'barrier', 'reverse']),
    ];
    await Promise.all(children.map((c) => c.waitFor((l) => l === 'ready')));
    const db = starve ? await openDatabase(file, { readonly: true }) : undefined;
    for (const c of children) c.process.stdin!.write('go\n');
    let starved = false;
    if (db) {
      const closed = db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE pid IN (?, ?) AND closed_at IS NOT NULL');
      const pids = children.map((c) => c.process.pid!);
      try {
        starved = holdTheEventLoopUntil(() => (closed.get(...pids) as { n: number }).n === 2);
      } finally {
        db.close();
      }
    }
    const exits = await Promise.all(children.map((c) => c.exited));
    for (const e of exits) expect(e.code, e.stderr).toBe(0);
    if (starve) expect(starved, 'both registrars closed the register while this process read nothing').toBe(true);
    return { file, children };
  }

  async function expectEachLearnerOnce(file: string, children: Child[]): Promise<void> {
    // Each registrar's account is whole: it said everything it did, up to its last line.
    for (const c of children) expect(c.lines.at(-1)).toBe('done');
    const completed = children.map((c) => c.lines.filter((l) => l.startsWith('C ')).map((l) => l.slice(2)));
    // Each learner completed by exactly one of the two registrars; the other skipped it or saw it in progress.
    expect(new Set([...completed[0]!, ...completed[1]!]).size).toBe(300);
    expect(completed[0]!.length + completed[1]!.length).toBe(300);

    const register = await openSqliteRegister(file);
    const issued = await register.listIssued();
    expect(issued).toHaveLength(300);
    expect((await register.recoverOrphans()).orphans).toEqual([]);
    await register.close();
    expectConsistent(issued, (await inspect(file)).allocations);

    // Running the roster again issues nothing: every learner is already issued, with the same id and index.
    const rerun = runChild(['issue', file, LIST, '0', '300']);
    const { code, stderr } = await rerun.exited;
    expect(code, stderr).toBe(0);
    expect(rerun.lines.filter((l) => l.startsWith('S '))).toHaveLength(300);
    expect(rerun.lines.at(-1)).toBe('done');
    const after = await openSqliteRegister(file);
    expect(await after.listIssued()).toEqual(issued);
    await after.close();
  }

  it('running the same roster twice at once issues each learner exactly once', async () => {
    const { file, children } = await sameRosterTwice('same-roster.sqlite', false);
    await expectEachLearnerOnce(file, children);
  });

  it('running the same roster twice at once: the accounts are whole even when the test process is slow to read them', async () => {
    const { file, children } = await sameRosterTwice('same-roster-starved.sqlite', true);
    await expectEachLearnerOnce(file, children);
  });
});

describe('a batch killed with SIGKILL', () => {
  it('leaves one orphan that the re-run completes with the same credential id and index', async () => {
    const file = await freshRegister('killed-handshake.sqlite');
    const child = runChild(['issue', file, LIST, '0', '100', 'handshake']);
    // Let 29 issuances through, then kill the process while the 30th is reserved but not yet completed.
    let reserved = 0;
    const last = await child.waitFor((line) => {
      if (!line.startsWith('R ')) return false;
      reserved++;
      if (reserved < 30) child.process.stdin!.write('go\n');
      return reserved === 30;
    });
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    const [, rosterKey, credentialId, index] = last.split(' ');
    expect(rosterKey).toBe('learner-29');

    const register = await openSqliteRegister(file);
    expect(await register.listIssued()).toHaveLength(29);
    const report = await register.recoverOrphans();
    expect(report.inProgress).toEqual([]);
    expect(report.orphans.map((o) => [o.rosterKey, o.credentialId, o.statusIndex, o.state])).toEqual([
      ['learner-29', credentialId, Number(index), 'reserved'],
    ]);
    expect(report.orphans[0]!.holder).toBeUndefined(); // released
    await register.close();

    const rerun = runChild(['issue', file, LIST, '0', '100']);
    const { code, stderr } = await rerun.exited;
    expect(code, stderr).toBe(0);
    expect(rerun.lines.filter((l) => l.startsWith('S '))).toHaveLength(29);
    expect(rerun.lines).toContain(`R learner-29 ${credentialId} ${index}`);

    const after = await openSqliteRegister(file);
    const issued = await after.listIssued();
    expect(issued).toHaveLength(100);
    expect(await after.recoverOrphans()).toEqual({ orphans: [], inProgress: [] });
    await after.close();
    const disk = await inspect(file);
    expect(disk.allocations).toHaveLength(100); // the orphan's index was reused, not replaced
    expectConsistent(issued, disk.allocations);
  });

  it('mid-run at an arbitrary moment leaves a consistent file, and the re-run finishes without duplicates', async () => {
    const file = await freshRegister('killed-free.sqlite');
    const child = runChild(['issue', file, LIST, '0', '1500']);
    let completed = 0;
    const threshold = 200 + Math.floor(Math.random() * 200);
    await child.waitFor((line) => line.startsWith('C ') && ++completed >= threshold);
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    const seen = child.lines;

    const disk = await inspect(file);
    expect(disk.integrity).toBe('ok');
    expect(disk.foreignKeyProblems).toEqual([]);
    const reservedOnDisk = disk.issuances.filter((i) => i.state === 'reserved');
    expect(reservedOnDisk.length).toBeLessThanOrEqual(1); // at most the one in flight
    expectConsistent(disk.issuances, disk.allocations);
    // Everything the child saw committed is on disk.
    const onDisk = new Map(disk.issuances.map((i) => [JSON.parse(i.key)[1] as string, i]));
    for (const line of seen.filter((l) => l.startsWith('C '))) expect(onDisk.get(line.slice(2))?.state).toBe('issued');

    // Re-run straight away, without recoverOrphans: a reservation whose process is dead is taken over.
    const rerun = runChild(['issue', file, LIST, '0', '1500']);
    const { code, stderr } = await rerun.exited;
    expect(code, stderr).toBe(0);
    const register = await openSqliteRegister(file);
    const issued = await register.listIssued();
    expect(issued).toHaveLength(1500);
    for (const orphan of reservedOnDisk) {
      const record = (await register.findByKey(orphan.key)) as IssuanceRecord;
      expect([record.state, record.credentialId, record.statusIndex]).toEqual([
        'issued',
        orphan.credentialId,
        orphan.statusIndex,
      ]);
    }
    await register.close();
    const final = await inspect(file);
    expect(final.integrity).toBe('ok');
    expect(final.allocations).toHaveLength(1500);
    expectConsistent(issued, final.allocations);
  });
});

describe('without the optional driver', () => {
  /** The register bundled into a folder where better-sqlite3 cannot be resolved, as for a user who skipped it. */
  async function openBundled(options: string): Promise<{ out: string; stdout: string; stderr: string }> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'register-nodriver-'));
    await build({
      entryPoints: [path.join(ROOT, 'src/node/register/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['better-sqlite3'],
      outfile: path.join(out, 'register.mjs'),
      logLevel: 'silent',
    });
    const script = `import('./register.mjs').then((m) => m.openSqliteRegister('r.sqlite', ${options})).then((r) => r.close()).then(() => console.log('opened'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`;
    const env = { ...process.env };
    delete env.MICROCRED_SQLITE_DRIVER;
    const child = spawn(process.execPath, ['-e', script], { cwd: out, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    return { out, stdout, stderr };
  }

  function expectInstallAdvice(stdout: string, out: string): void {
    const error = JSON.parse(stdout) as { name: string; code: string; message: string };
    expect([error.name, error.code]).toEqual(['MicrocredError', 'INVALID_INPUT']);
    expect(error.message).toMatch(/npm install better-sqlite3/);
    expect(error.message).toMatch(/Node 22\.13/);
    expect(fs.existsSync(path.join(out, 'r.sqlite'))).toBe(false);
  }

  it('asked for better-sqlite3, opening fails with INVALID_INPUT and says what to install, creating no file', async () => {
    const { out, stdout } = await openBundled(`{ driver: 'better-sqlite3' }`);
    try {
      expectInstallAdvice(stdout, out);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("by default uses Node's built-in node:sqlite where there is one (quietly), else says what to install", async () => {
    const { out, stdout, stderr } = await openBundled('{}');
    try {
      if (defaultDriver() === 'node:sqlite') {
        expect(stdout.trim()).toBe('opened');
        expect(fs.existsSync(path.join(out, 'r.sqlite'))).toBe(true);
        expect(stderr).not.toMatch(/ExperimentalWarning|SQLite is an experimental/);
      } else {
        expectInstallAdvice(stdout, out);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describePostgres('several processes on one PostgreSQL database', (url) => {
  async function freshPgRegister(): Promise<string> {
    const schema = freshSchema('procs');
    const register = await openPostgresRegister(url, { schema });
    await register.ensureStatusList({ id: LIST, purpose: 'revocation', size: SIZE });
    await register.close();
    return schema;
  }

  async function allocations(schema: string): Promise<number[]> {
    return (await rawSql<{ idx: number }>(url, schema, 'SELECT idx FROM allocations WHERE list_id = $1', [LIST])).map(
      (r) => r.idx,
    );
  }

  it('two processes allocating at once hand out 2,000 distinct indexes between them and lose none', async () => {
    const schema = await freshPgRegister();
    const children = [
      runChild(['allocate', `postgres:${schema}`, LIST, '1000', 'meet']),
      runChild(['allocate', `postgres:${schema}`, LIST, '1000', 'meet']),
    ];
    await startTogether(children);
    const [a, b] = await Promise.all(
      children.map(async (c) => {
        const { code, stderr } = await c.exited;
        expect(code, stderr).toBe(0);
        return JSON.parse(c.lines.at(-1)!) as { indexes: number[]; firstAt: number; lastAt: number };
      }),
    );
    expect(a!.firstAt).toBeLessThan(b!.lastAt);
    expect(b!.firstAt).toBeLessThan(a!.lastAt);
    const union = new Set([...a!.indexes, ...b!.indexes]);
    expect(union.size).toBe(2000);
    expect(new Set(await allocations(schema))).toEqual(union);
  });

  it('two registrars issue one roster at once, one is SIGKILLed midway and restarted: each learner once, no index shared, nothing lost', async () => {
    const N = 600;
    const schema = await freshPgRegister();
    const out = fs.mkdtempSync(path.join(dir, 'pg-files-'));
    const args = ['issue', `postgres:${schema}`, LIST, '0', String(N), `files=${out}`];
    // Both walk the roster in the same order, starting together, so they meet at (nearly) every learner.
    const forward = runChild([...args, 'barrier']);
    const other = runChild([...args, 'barrier']);
    await Promise.all([forward, other].map((c) => c.waitFor((l) => l === 'ready')));
    // Both at work together: the kill waits for the other registrar's first completed learner too (a line waited
    // for, not one looked for in what happens to have been read by then).
    const otherAtWork = other.waitFor((l) => l.startsWith('C '));
    let completed = 0;
    const threshold = 60 + Math.floor(Math.random() * 60);
    const forwardMidway = forward.waitFor((line) => line.startsWith('C ') && ++completed >= threshold);
    for (const c of [forward, other]) c.process.stdin!.write('go\n');
    await Promise.all([forwardMidway, otherAtWork]);
    forward.process.kill('SIGKILL');
    expect((await forward.exited).signal).toBe('SIGKILL');
    const killedLines = [...forward.lines];

    // Restarted once the database has seen the crash (its connection, and so its liveness lock, is gone).
    const deadPid = forward.process.pid!;
    const stillHeld = `SELECT 1 FROM pg_locks l JOIN sessions s ON l.locktype = 'advisory' AND l.objsubid = 2 AND l.objid = s.lock_key::oid WHERE s.pid = $1`;
    await waitUntilNoRows(url, schema, stillHeld, [deadPid]);
    const restarted = runChild(args);
    const exits = await Promise.all([restarted.exited, other.exited]);
    for (const e of exits) expect(e.code, e.stderr).toBe(0);

    const register = await openPostgresRegister(url, { schema });
    const issued = await register.listIssued();
    expect(await register.recoverOrphans()).toEqual({ orphans: [], inProgress: [] });
    await register.close();
    // Every learner issued exactly once, no index shared, and every allocated index belongs to a credential.
    expect(issued).toHaveLength(N);
    expect(new Set(issued.map((r) => r.rosterKey)).size).toBe(N);
    expectConsistent(issued, await allocations(schema));
    // Nothing lost: what the killed registrar saw completed is in the register with the id it reserved.
    const byRoster = new Map(issued.map((r) => [r.rosterKey, r]));
    const reservedBy = new Map(
      killedLines.filter((l) => l.startsWith('R ')).map((l) => [l.split(' ')[1]!, l.split(' ')[2]!]),
    );
    for (const line of killedLines.filter((l) => l.startsWith('C '))) {
      expect(byRoster.get(line.slice(2))?.credentialId).toBe(reservedBy.get(line.slice(2)));
    }
    // Register and disk agree: one file per learner, holding the very bytes whose hash the register recorded.
    const files = fs.readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(N);
    for (const record of issued) {
      const bytes = fs.readFileSync(record.file!, 'utf8');
      expect(credentialHash(bytes)).toBe(record.credentialHash);
      expect(JSON.parse(bytes)).toMatchObject({
        id: record.credentialId,
        credentialStatus: { statusListIndex: String(record.statusIndex) },
        learner: record.rosterKey,
      });
    }
  });
});
