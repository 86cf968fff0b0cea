/**
 * Two `microcred serve` processes on one PostgreSQL register (issue 22, "several servers"): a 2,000-learner roster
 * issued through the VC API, split between them with bounded concurrency; one server is SIGKILLed midway (requests in
 * flight, reservations open) and restarted on the same workspace copy, and every request that got no 2xx is sent
 * again, first to the other server (as a load balancer fails over), then to the restarted one. The result must have
 * every learner issued exactly once, no status index shared, no credential lost, and the register agreeing with what
 * the clients were handed.
 *
 * Idempotency is by the credential id the client chooses (`POST /credentials/issue` keys the register on it), so each
 * learner's request carries the learner (credentialSubject.id) and one fixed credential id, whatever server it lands on.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { credentialHash, openWorkspace } from '../src/node/index';
import { cli, cliAsync } from './helpers/cli';
import { describePostgres, freshSchema, rawSql } from './helpers/postgres';

const LEARNERS = 2000;
const IN_FLIGHT_PER_SERVER = 8;
const REQUEST_TIMEOUT_MS = 30_000;
/** A request answered 503 or 500 (the service asks for a retry) is sent again, at most this many times. */
const ATTEMPTS = 5;

const credentialIdOf = (i: number): string => `urn:uuid:6b3f0c1e-2a4d-4e8f-9c7b-${i.toString(16).padStart(12, '0')}`;
const learnerOf = (i: number): string => `did:example:learner-${i}`;
const credentialFor = (i: number): Record<string, unknown> => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: credentialIdOf(i),
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Critical thinking',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    id: learnerOf(i),
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://uni.example.edu/achievements/ct',
      type: ['Achievement'],
      name: 'Critical thinking',
      description: 'Argues clearly',
      criteria: { narrative: 'Passed the exam' },
    },
  },
});

interface Server {
  name: string;
  child: ChildProcess;
  base: string;
  /** The tail of its standard error (one line per request), for messages. */
  log: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
let dir: string;

/** `microcred serve` on 127.0.0.1, any free port; resolves once it prints its address. */
async function startServer(name: string, ws: string): Promise<Server> {
  const child = cliAsync(['serve', '-w', ws, '--port', '0', '--host', '127.0.0.1', '--no-web']);
  children.add(child);
  const log: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  let pending = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${log.join('\n')}`)), 60_000);
    // Read all of it: a full pipe would stall the server.
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        log.push(line);
        if (log.length > 50) log.shift();
        const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${log.join('\n')}`));
    });
  });
  return { name, child, base: `http://127.0.0.1:${port}`, log, exited };
}

/** What one request came to: the credential handed out (2xx), a status the service asks to retry, or no answer at all. */
type Outcome =
  | { kind: 'issued'; status: number; credential: Record<string, unknown>; server: string }
  | { kind: 'retry'; status?: number; error: string }
  | { kind: 'refused'; status: number; body: string };

async function issueOnce(server: Server, token: string, i: number): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`${server.base}/credentials/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ credential: credentialFor(i) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    // Connection reset or refused (the server was killed), or no answer in time: the client does not know whether
    // the credential was issued, and sends the same request again.
    return { kind: 'retry', error: String((e as Error).cause ?? e) };
  }
  const text = await response.text().catch((e: unknown) => `(body lost: ${String(e)})`);
  if (response.status === 200 || response.status === 201) {
    try {
      return {
        kind: 'issued',
        status: response.status,
        credential: (JSON.parse(text) as { verifiableCredential: Record<string, unknown> }).verifiableCredential,
        server: server.name,
      };
    } catch {
      return { kind: 'retry', status: response.status, error: 'the answer was cut off' };
    }
  }
  if (response.status === 503 || response.status === 500)
    return { kind: 'retry', status: response.status, error: text.slice(0, 300) };
  return { kind: 'refused', status: response.status, body: text.slice(0, 500) };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-two-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describePostgres('two servers on one PostgreSQL register', (url) => {
  it(`issue a ${LEARNERS}-learner roster together; one is SIGKILLed midway and restarted; every learner once, no index shared, nothing lost, the register agrees`, async () => {
    const started = Date.now();
    const schema = freshSchema('twoservers');
    const wsA = path.join(dir, 'server-a');
    const wsB = path.join(dir, 'server-b');
    const init = cli([
      'init',
      wsA,
      '--name',
      'Test University',
      '--country',
      'EE',
      '--status-url',
      'https://uni.example.edu/status/',
      '--database',
      url,
      '--database-schema',
      schema,
    ]);
    expect(init.code, init.stderr).toBe(0);
    const created = cli(['token', 'create', '-w', wsA, '--label', 'student information system']);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    // The second server gets a copy of the first one's workspace folder (docs/register.md, "Behind a load balancer").
    fs.cpSync(wsA, wsB, { recursive: true });

    let [a, b] = await Promise.all([startServer('A', wsA), startServer('B', wsB)]);
    const handed = new Map<number, Extract<Outcome, { kind: 'issued' }>[]>();
    const refused: string[] = [];
    const retried = new Map<number, string[]>();
    const record = (i: number, outcome: Outcome): boolean => {
      if (outcome.kind === 'issued') {
        handed.set(i, [...(handed.get(i) ?? []), outcome]);
        return true;
      }
      if (outcome.kind === 'refused') {
        refused.push(`learner ${i}: ${outcome.status} ${outcome.body}`);
        return true;
      }
      retried.set(i, [...(retried.get(i) ?? []), `${outcome.status ?? 'no answer'} ${outcome.error}`]);
      return false;
    };

    // A's half and B's half of the roster, each worked by 8 requests in flight.
    const queues = { A: [] as number[], B: [] as number[] };
    for (let i = 0; i < LEARNERS; i++) (i % 2 === 0 ? queues.A : queues.B).push(i);
    const failedAtKill: number[] = [];
    let aDown = false;
    let aBack!: () => void;
    const aRestarted = new Promise<void>((resolve) => (aBack = resolve));
    const killAfter = 300 + Math.floor(Math.random() * 200);
    let aIssued = 0;
    let killed: Promise<void> | undefined;
    /** The credentials A held reserved (not yet completed) when it was killed: what another server must take over. */
    let heldAtKill: string[] = [];

    const killA = async (): Promise<void> => {
      // The kill must land while A holds a reservation. Polling and then killing races A's own commit (and, once the
      // kill lands, B's takeover of the learner the load balancer resends), so A is frozen first: a stopped process
      // completes nothing, and what it holds once PostgreSQL has finished any commit it already sent is exactly what
      // the kill leaves open.
      const watcher = new pg.Client({ connectionString: url });
      await watcher.connect();
      try {
        const holding = `SELECT i.credential_id AS id FROM "${schema}".issuances i JOIN "${schema}".sessions s ON s.id = i.claimed_by WHERE i.state = 'reserved' AND s.pid = $1`;
        const held = async () => (await watcher.query<{ id: string }>(holding, [a.child.pid])).rows.map((r) => r.id);
        for (let k = 0; k < 500 && heldAtKill.length === 0; k++) {
          if ((await held()).length === 0) continue;
          a.child.kill('SIGSTOP');
          await new Promise((r) => setTimeout(r, 100));
          heldAtKill = await held();
          if (heldAtKill.length === 0) a.child.kill('SIGCONT');
        }
      } finally {
        await watcher.end();
      }
      aDown = true;
      a.child.kill('SIGKILL');
      expect((await a.exited).signal).toBe('SIGKILL');
      a = await startServer('A (restarted)', wsA);
      aDown = false;
      aBack();
    };

    const workA = async (): Promise<void> => {
      for (let i = queues.A.shift(); i !== undefined; i = queues.A.shift()) {
        if (aDown) await aRestarted;
        const outcome = await issueOnce(a, token, i);
        if (outcome.kind === 'issued' && ++aIssued === killAfter) killed = killA();
        // No answer from A: the load balancer sends the request to B at once.
        if (!record(i, outcome)) {
          failedAtKill.push(i);
          await sendUntilAnswered(b, i);
        }
      }
    };
    const sendUntilAnswered = async (server: Server, i: number): Promise<void> => {
      for (let attempt = 1; !record(i, await issueOnce(server, token, i)) && attempt < ATTEMPTS; attempt++)
        await new Promise((r) => setTimeout(r, 100));
    };
    const workB = async (): Promise<void> => {
      for (let i = queues.B.shift(); i !== undefined; i = queues.B.shift()) await sendUntilAnswered(b, i);
    };
    await Promise.all([
      ...Array.from({ length: IN_FLIGHT_PER_SERVER }, workA),
      ...Array.from({ length: IN_FLIGHT_PER_SERVER }, workB),
    ]);
    await killed;
    const issuingSeconds = (Date.now() - started) / 1000;

    // The kill hit requests in flight, and left reservations open that only a takeover completes.
    expect(failedAtKill.length).toBeGreaterThan(0);
    expect(heldAtKill.length).toBeGreaterThan(0);
    expect(refused, refused.slice(0, 5).join('\n')).toEqual([]);
    // Every learner was handed exactly one credential.
    const missing = Array.from({ length: LEARNERS }, (_, i) => i).filter((i) => !handed.has(i));
    expect(
      missing,
      `no credential for learners ${missing.slice(0, 10).join(', ')}: ${missing
        .slice(0, 3)
        .map((i) => retried.get(i)?.join(' / '))
        .join('\n')}`,
    ).toEqual([]);
    for (const [i, outcomes] of handed) expect(outcomes, `learner ${i}`).toHaveLength(1);

    // A retry that lands on the other server (or the restarted one) hands back the very same credential: 200, not a
    // second one, from the register, with neither server reaching the other's issued/ (as on two machines).
    const sample = [...new Set([...failedAtKill, ...Array.from({ length: 20 }, (_, k) => k * 97)])].slice(0, 40);
    const elsewhere = (ws: string) => `${ws}-issued-elsewhere`;
    for (const ws of [wsA, wsB]) fs.renameSync(path.join(ws, 'issued'), elsewhere(ws));
    for (const i of sample) {
      const first = handed.get(i)![0]!;
      const again = await issueOnce(first.server === 'B' ? a : b, token, i);
      expect(again, `learner ${i} sent again`).toMatchObject({ kind: 'issued', status: 200 });
      expect((again as Extract<Outcome, { kind: 'issued' }>).credential).toEqual(first.credential);
    }
    // Each retry left its credential, byte for byte, in the issued/ of the server that answered it.
    const restored = [wsA, wsB].flatMap((ws) =>
      fs.existsSync(path.join(ws, 'issued'))
        ? fs.readdirSync(path.join(ws, 'issued')).map((f) => fs.readFileSync(path.join(ws, 'issued', f), 'utf8'))
        : [],
    );
    expect(restored.map((t) => (JSON.parse(t) as { id: string }).id).sort()).toEqual(
      sample.map((i) => credentialIdOf(i)).sort(),
    );
    for (const text of restored) {
      const id = (JSON.parse(text) as { id: string }).id;
      const i = sample.find((k) => credentialIdOf(k) === id)!;
      expect(JSON.parse(text)).toEqual(handed.get(i)![0]!.credential);
    }
    for (const ws of [wsA, wsB]) {
      fs.rmSync(path.join(ws, 'issued'), { recursive: true, force: true });
      fs.renameSync(elsewhere(ws), path.join(ws, 'issued'));
    }

    // The register, read through the workspace, agrees with what the clients were handed.
    const workspace = await openWorkspace(wsB);
    try {
      const issued = await workspace.register.listIssued();
      expect(issued).toHaveLength(LEARNERS);
      expect(new Set(issued.map((r) => r.credentialId)).size).toBe(LEARNERS);
      expect(new Set(issued.map((r) => r.learnerRef)).size).toBe(LEARNERS);
      expect(new Set(issued.map((r) => `${r.listId}#${r.statusIndex}`)).size).toBe(LEARNERS);
      // No reservation left open, none abandoned: everything the crash interrupted was completed by a retry.
      expect(await workspace.register.recoverOrphans()).toEqual({ orphans: [], inProgress: [] });
      const byLearner = new Map(issued.map((r) => [r.learnerRef, r]));
      const handedIndexes = new Set<string>();
      for (let i = 0; i < LEARNERS; i++) {
        const vc = handed.get(i)![0]!.credential;
        const status = vc.credentialStatus as { statusListCredential: string; statusListIndex: string };
        handedIndexes.add(`${status.statusListCredential}#${status.statusListIndex}`);
        const entry = byLearner.get(workspace.learnerRef({ type: 'did', value: learnerOf(i) }));
        expect(entry, `learner ${i} is not in the register`).toBeDefined();
        expect([vc.id, status.statusListCredential, Number(status.statusListIndex)]).toEqual([
          credentialIdOf(i),
          entry!.listId,
          entry!.statusIndex,
        ]);
        // Nothing lost: the file the register names (relative to the workspace, so each server looks in its own
        // folder) holds, on the server that issued it, the bytes it hashed, and they are what the client got.
        const copies = [wsA, wsB]
          .map((ws) => path.join(ws, entry!.file!))
          .filter((f) => fs.existsSync(f))
          .map((f) => fs.readFileSync(f, 'utf8'));
        const bytes = copies.find((text) => credentialHash(text) === entry!.credentialHash);
        expect(bytes, `learner ${i}: no folder holds the recorded bytes at ${entry!.file}`).toBeDefined();
        if (bytes === undefined) continue;
        expect(JSON.parse(bytes)).toEqual(vc);
        // The register keeps the same bytes, for a retry on a server without the file.
        expect(Buffer.from((await workspace.register.issuedCredential(entry!.credentialId))!).toString('utf8')).toBe(
          bytes,
        );
      }
      expect(handedIndexes.size).toBe(LEARNERS);
      // What the crash left reserved was completed by a takeover, once each, under the id A had reserved.
      const issuedIds = new Set(issued.map((r) => r.credentialId));
      for (const id of heldAtKill) expect(issuedIds.has(id), `${id}, reserved by A when it died`).toBe(true);
      // Every allocated index belongs to an issued credential: the crash leaked none.
      const allocated = await rawSql<{ list_id: string; idx: number }>(
        url,
        schema,
        'SELECT list_id, idx FROM allocations',
      );
      expect(new Set(allocated.map((r) => `${r.list_id}#${r.idx}`))).toEqual(handedIndexes);
    } finally {
      await workspace.close();
    }

    // A credential one server issued before the crash verifies on the other (the status list is read from the register).
    const verified = await fetch(`${b.base}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: handed.get(0)![0]!.credential }),
    });
    expect(((await verified.json()) as { verified: boolean }).verified).toBe(true);

    for (const server of [a, b]) server.child.kill('SIGTERM');
    const exits = await Promise.all([a.exited, b.exited]);
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    console.info(
      `two servers: ${LEARNERS} learners in ${issuingSeconds.toFixed(1)} s (${(LEARNERS / issuingSeconds).toFixed(0)}/s incl. start-up and restart); ` +
        `A killed after ${killAfter} of its credentials with ${failedAtKill.length} requests unanswered and ${heldAtKill.length} reservations open; ` +
        `${[...retried.values()].flat().length} retries; whole test ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 240_000);
});
