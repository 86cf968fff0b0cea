/**
 * The register-scaling benchmark: issue throughput with 1,000, 100,000, 130,000 (first list 99% full) and 200,000 credentials already in
 * the register, to show that issuing does not slow as the register grows (status-index allocation and register
 * writes at O(log n) per credential).
 *
 *   npm run bench:register                 # full run (a few minutes at most)
 *   npm run bench:register -- --quick      # small levels, for CI
 *   npm run bench:register -- --dir /dev/shm   # on tmpfs: without disk-sync latency, only what the register size costs
 *
 * What is measured, at each level:
 * - `issue`: credentials per second through `issueRow` — award, sign (eddsa-rdfc-2022), write the file (temp +
 *   fsync + link), reserve and complete in the register (SQLite, WAL, synchronous=FULL) — one process, one thread;
 * - `register`: per credential, the register's share alone (reserve with index allocation + complete).
 * Each level has its own workspace, pre-filled to its size; the levels are then measured interleaved, in 10 rounds,
 * so that load from other processes falls on every level alike. Medians are reported beside throughput because a
 * shared machine's disk-sync latency has a long tail.
 * The register is pre-filled with direct SQL inserts, in the exact state the register's own allocation would leave
 * (indexes drawn by the same sparse Fisher-Yates shuffle, issuance rows with keyed learner references); signing
 * 200,000 credentials first would take most of an hour and measure nothing more. The pre-filled rows keep no issued
 * bytes (they stand for credentials completed before the register kept them); every credential the run itself
 * completes keeps its bytes, as a real issue does, so the measured figures include that write.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomInt, randomUUID } from 'node:crypto';
import { defaultDriver, openDatabase } from '../src/node/register/driver';
import { credentialHash } from '../src/node/register/hash';
import { parse as parseYaml } from 'yaml';
import { definitionFromData } from '../src';
import { initWorkspace, issueRow, openWorkspace, type Workspace } from '../src/node';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, count: { type: 'string' }, dir: { type: 'string' } },
});
const LEVELS = values.quick ? [1_000, 5_000] : [1_000, 100_000, 130_000, 200_000];
const COUNT = Number(values.count ?? (values.quick ? 30 : 300));
const SIZE = 131_072;

// --dir /dev/shm puts the workspace on tmpfs, where fsync costs nothing: what remains is what grows with the register.
const tmp = fs.mkdtempSync(path.join(values.dir ?? os.tmpdir(), 'microcred-bench-register-'));
const PART = 'Critical thinking and argumentation';
/** What the register-only rows keep as their issued bytes: the size of a seed micro-credential. */
const KEPT_BYTES = Buffer.from(`{"kept":"${'x'.repeat(14_000)}"}`);

/** Adds `rows` issued credentials to the register directly, drawing indexes as the register does. */
async function prefill(workspace: Workspace, rows: number, tag: string): Promise<void> {
  const db = await openDatabase(path.join(workspace.dir, workspace.config.registerFile!));
  db.pragma('synchronous = OFF');
  const base = workspace.config.statusList;
  const now = new Date().toISOString();
  const list = db.prepare('SELECT allocated FROM status_lists WHERE id = ?');
  const freeAt = db.prepare('SELECT idx FROM free_order WHERE list_id = ? AND pos = ?');
  const setFree = db.prepare(
    'INSERT INTO free_order (list_id, pos, idx) VALUES (?, ?, ?) ON CONFLICT (list_id, pos) DO UPDATE SET idx = excluded.idx',
  );
  const dropFree = db.prepare('DELETE FROM free_order WHERE list_id = ? AND pos = ?');
  const alloc = db.prepare('INSERT INTO allocations (list_id, idx, allocated_at) VALUES (?, ?, ?)');
  const issuance = db.prepare(
    `INSERT INTO issuances (key, roster_key, learner_ref, achievement_id, credential_id, state, list_id, status_index, format, credential_hash, file, reserved_at, issued_at, learner_label)
     VALUES (?, ?, ?, ?, ?, 'issued', ?, ?, 'eddsa-rdfc-2022', ?, ?, ?, ?, 'p***@example.ee')`,
  );
  const newList = db.prepare(
    `INSERT OR IGNORE INTO status_lists (id, purpose, size, created_at) VALUES (?, 'revocation', ${SIZE}, ?)`,
  );
  db.transaction(() => {
    let listNo = (db.prepare('SELECT COUNT(*) AS n FROM status_lists').get() as { n: number }).n;
    let listId = listNo === 1 ? base : `${base}-${listNo}`;
    for (let i = 0; i < rows; i++) {
      let taken = (list.get(listId) as { allocated: number }).allocated;
      if (taken >= SIZE) {
        listNo++;
        listId = `${base}-${listNo}`;
        newList.run(listId, now);
        taken = 0;
      }
      const pick = taken + randomInt(SIZE - taken);
      const at = (pos: number) => (freeAt.get(listId, pos) as { idx: number } | undefined)?.idx ?? pos;
      const index = at(pick);
      if (pick !== taken) setFree.run(listId, pick, at(taken));
      dropFree.run(listId, taken);
      alloc.run(listId, index, now);
      const ref = `learner:${randomUUID().replace(/-/g, '')}`;
      const id = `urn:uuid:${randomUUID()}`;
      issuance.run(
        JSON.stringify(['bench', ref]),
        ref,
        ref,
        `bench-${tag}`,
        id,
        listId,
        index,
        'a'.repeat(64),
        `/prefilled/${id}.json`,
        now,
        now,
      );
    }
  }).immediate();
  db.close();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2));
}

async function main(): Promise<void> {
  const data = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
  // One workspace per level, each pre-filled to its size; then the levels are measured interleaved, round by round,
  // so that load from other processes on a shared machine falls on every level alike.
  const levels: {
    rows: number;
    workspace: Workspace;
    definition: ReturnType<typeof definitionFromData>['definition'];
    outDir: string;
    issue: number[];
    register: number[];
    prefillSeconds: number;
  }[] = [];
  for (const rows of LEVELS) {
    const dir = path.join(tmp, `ws-${rows}`);
    const { workspace: created } = await initWorkspace(dir, {
      name: 'Bench University',
      country: 'EE',
      statusBaseUrl: 'https://bench.example/status/',
    });
    await created.close();
    const t0 = performance.now();
    await prefill(
      await (async () => {
        const w = await openWorkspace(dir);
        await w.close();
        return w;
      })(),
      rows,
      String(rows),
    );
    const prefillSeconds = (performance.now() - t0) / 1000;
    const workspace = await openWorkspace(dir);
    const issuer = workspace.config.issuer;
    const { definition } = definitionFromData({
      ...data,
      issuer: { id: issuer.id, name: issuer.name!, country: issuer.address!.addressCountryCode! },
    });
    const outDir = path.join(tmp, `out-${rows}`);
    fs.mkdirSync(outDir);
    // Warm-up (not counted): JIT, contexts, prepared statements.
    for (let i = 0; i < 5; i++)
      await issueRow(workspace, definition, row(`warm${rows}-${i}@example.ee`, i), {
        format: 'eddsa-rdfc-2022',
        outDir,
      });
    levels.push({ rows, workspace, definition, outDir, issue: [], register: [], prefillSeconds });
    console.error(`prefilled ${rows} rows in ${prefillSeconds.toFixed(1)} s`);
  }
  const ROUNDS = 10;
  const per = Math.ceil(COUNT / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const level of levels) {
      for (let i = 0; i < per; i++) {
        const n = round * per + i;
        const t = performance.now();
        await issueRow(level.workspace, level.definition, row(`l${level.rows}-${n}@example.ee`, n), {
          format: 'eddsa-rdfc-2022',
          outDir: level.outDir,
        });
        level.issue.push(performance.now() - t);
      }
      // The register's share alone: reserve (with index allocation) + complete, keeping a credential's worth of bytes
      // as a real completion does (the seed micro-credential is about 14 KB).
      for (let i = 0; i < per; i++) {
        const t = performance.now();
        const ref = `learner:reg-${level.rows}-${round}-${i}`;
        const listId = (await level.workspace.currentStatusList()).id;
        const r = await level.workspace.register.reserveIssuance({
          rosterKey: ref,
          learnerRef: ref,
          achievementId: 'register-only',
          listId,
        });
        await level.workspace.register.completeIssuance({
          key: r.key,
          credentialId: r.credentialId,
          format: 'x',
          credentialHash: credentialHash(KEPT_BYTES),
          file: `/register-only/${r.credentialId}`,
          credential: KEPT_BYTES,
        });
        level.register.push(performance.now() - t);
      }
    }
  }
  const results = [];
  for (const level of levels) {
    const lists = await level.workspace.statusLists();
    const current = lists[lists.length - 1]!;
    await level.workspace.close();
    const total = level.issue.reduce((a, b) => a + b, 0);
    const result = {
      rows: level.rows,
      issuePerSecond: Math.round((1000 * level.issue.length) / total),
      issueMedianMs: median(level.issue),
      registerMedianMs: median(level.register),
      registerMeanMs: Number((level.register.reduce((a, b) => a + b, 0) / level.register.length).toFixed(2)),
      listFill: `${current.id.split('/').pop()} ${((100 * current.allocated) / current.size).toFixed(1)}%`,
      prefillSeconds: Number(level.prefillSeconds.toFixed(1)),
    };
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const rates = results.map((r) => r.issuePerSecond);
  const medians = results.map((r) => r.issueMedianMs);
  console.log(
    JSON.stringify({
      count: per * ROUNDS,
      node: process.version,
      driver: process.env.MICROCRED_SQLITE_DRIVER || defaultDriver(),
      dir: values.dir ?? os.tmpdir(),
      throughputSlowestToFastest: Number((Math.min(...rates) / Math.max(...rates)).toFixed(2)),
      medianFastestToSlowest: Number((Math.min(...medians) / Math.max(...medians)).toFixed(2)),
      flatWithin2x: Math.max(...rates) <= 2 * Math.min(...rates) && Math.max(...medians) <= 2 * Math.min(...medians),
    }),
  );
  fs.rmSync(tmp, { recursive: true, force: true });
}

function row(email: string, i: number): Parameters<typeof issueRow>[2] {
  const identity = { type: 'email' as const, value: email };
  return {
    line: i,
    learner: { email },
    identity,
    identities: [identity],
    learnerRef: '',
    key: '',
    grade: 'ABCDE'[i % 5]!,
    part: PART,
  };
}

await main();
