/**
 * A second (or third) registrar for the register tests, run as its own process:
 *   node --import tsx test/helpers/register-child.ts allocate <register> <listId> <count> [meet]
 *   node --import tsx test/helpers/register-child.ts issue <register> <listId> <from> <to> [handshake] [barrier] [reverse] [files=<dir>]
 *
 * <register> is an SQLite file, or `postgres:<schema>` for a PostgreSQL register at MICROCRED_TEST_PG_URL.
 *
 * allocate: opens the register, prints "ready", waits for a line on stdin (so that both children start together),
 *   allocates <count> indexes and prints one JSON line { indexes, firstAt, lastAt }. With `meet` it prints "first"
 *   after its first index and waits for another stdin line, so the parent can be sure both are under way at once.
 * issue: for learners from..to-1, reserves, "signs" (hashes a credential text carrying the reserved id and index)
 *   and completes, printing "R <rosterKey> <credentialId> <index>" after reserving, "C <rosterKey>" after completing,
 *   "S <rosterKey>" for one already issued and "B <rosterKey>" for one another live process is issuing. With
 *   `handshake` it waits for a stdin line between reserving and completing, so the parent can kill it exactly there;
 *   with `barrier` it prints "ready" and waits for a stdin line before starting; `reverse` walks the roster backwards;
 *   with `files=<dir>` it writes each credential to <dir>/<rosterKey>.json (a temporary file renamed into place, as
 *   the batch does) before completing it, and records that path.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  credentialHash,
  openPostgresRegister,
  openSqliteRegister,
  type IssuanceRegister,
} from '../../src/node/register';
import { MicrocredError } from '../../src/errors';

const [mode, file, listId, ...rest] = process.argv.slice(2);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (line: string): void => {
  process.stdout.write(line + '\n');
};

export const ACHIEVEMENT = 'https://registrar.example.edu/achievements/databases-101';

function openRegister(): Promise<IssuanceRegister> {
  if (!file!.startsWith('postgres:')) return openSqliteRegister(file!);
  const url = process.env.MICROCRED_TEST_PG_URL;
  if (!url) throw new Error('MICROCRED_TEST_PG_URL is not set');
  return openPostgresRegister(url, { schema: file!.slice('postgres:'.length) });
}

async function allocate(count: number, meet: boolean): Promise<void> {
  const register = await openRegister();
  say('ready');
  await lines.next();
  const indexes: number[] = [];
  const firstAt = performance.timeOrigin + performance.now();
  for (let i = 0; i < count; i++) {
    indexes.push(await register.allocateStatusIndex(listId!));
    if (meet && i === 0) {
      say('first');
      await lines.next();
    }
  }
  const lastAt = performance.timeOrigin + performance.now();
  await register.close();
  say(JSON.stringify({ indexes, firstAt, lastAt }));
}

async function issue(from: number, to: number, flags: string[]): Promise<void> {
  const register = await openRegister();
  const handshake = flags.includes('handshake');
  const filesDir = flags.find((f) => f.startsWith('files='))?.slice('files='.length);
  if (flags.includes('barrier')) {
    say('ready');
    await lines.next();
  }
  const order = Array.from({ length: to - from }, (_, i) => from + i);
  if (flags.includes('reverse')) order.reverse();
  for (const n of order) {
    const rosterKey = `learner-${n}`;
    let record;
    try {
      record = await register.reserveIssuance({
        rosterKey,
        learnerRef: rosterKey,
        achievementId: ACHIEVEMENT,
        listId: listId!,
      });
    } catch (e) {
      if (e instanceof MicrocredError && /being issued right now/.test(e.message)) {
        say(`B ${rosterKey}`);
        continue;
      }
      throw e;
    }
    if (record.state === 'issued') {
      say(`S ${rosterKey}`);
      continue;
    }
    say(`R ${rosterKey} ${record.credentialId} ${record.statusIndex}`);
    if (handshake) await lines.next();
    const text = JSON.stringify({
      id: record.credentialId,
      credentialStatus: { statusListIndex: String(record.statusIndex) },
      learner: rosterKey,
    });
    let written: string | undefined;
    if (filesDir) {
      written = path.join(filesDir, `${rosterKey}.json`);
      const temporary = `${written}.tmp-${process.pid}`;
      fs.writeFileSync(temporary, text);
      fs.renameSync(temporary, written);
    }
    await register.completeIssuance({
      key: record.key,
      credentialId: record.credentialId,
      format: 'test-json',
      credentialHash: credentialHash(text),
      ...(written ? { file: written } : {}),
    });
    say(`C ${rosterKey}`);
  }
  await register.close();
  say('done');
}

/**
 * Exits once every line said has been handed to the pipe. Writes to a pipe are asynchronous in Node: when the parent
 * is slow to read (a loaded machine), they queue in this process, and `process.exit` would drop them — the parent
 * would then read a truncated account from a child that exited 0. (stdin, still open, keeps the process alive, so
 * it cannot just end by itself.)
 */
function exitWhenSaid(): void {
  process.stdout.write('', () => process.exit(0));
}

if (mode === 'allocate') await allocate(Number(rest[0]), rest.includes('meet'));
else if (mode === 'issue') await issue(Number(rest[0]), Number(rest[1]), rest.slice(2));
else throw new Error(`unknown mode ${mode}`);
exitWhenSaid();
