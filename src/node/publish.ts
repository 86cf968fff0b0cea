import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MicrocredError } from '../errors';
import { issue } from '../issue';
import { decodeBitstring } from '../status/bitstring';
import { statusListCredential } from '../status/credential';
import { syncDir } from './issue-batch';
import type { Workspace } from './workspace';

/** The file operations publishing uses; replaceable so tests can fail any one of them (a full disk, a kill). */
export interface PublishIo {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, data: Uint8Array) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
  readFileSync: (file: string) => Buffer;
  rmSync: typeof fs.rmSync;
}

/** Options of `publishStatusLists`: the folder to write to, and the file-system functions it uses. */
export interface PublishOptions {
  /** Where to write `<last URL segment>.json` for each list; default `<workspace>/status`. */
  outDir?: string;
  /** For tests: the file operations to use. */
  io?: PublishIo;
}

/** One status list credential written by `publishStatusLists`: its file, the URL to serve it at, and how many entries are set. */
export interface PublishedList {
  file: string;
  /** The URL the file must be served at. */
  hostAt: string;
  /** Entries set (revoked or suspended) in the published list. */
  set: number;
}

const realIo: PublishIo = {
  openSync: fs.openSync,
  writeSync: (fd, data) => fs.writeSync(fd, data),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  readFileSync: (file) => fs.readFileSync(file),
  rmSync: fs.rmSync,
};

/**
 * Signs and writes every status list of the workspace, each atomically: the signed list goes to a temporary file
 * in the same folder, is synced to disk, read back and checked (it parses, and its bits are the register's), and
 * only then renamed over the published name, after which the folder is synced. A full disk, a crash or a kill at
 * any point leaves the previous complete list (or none), never a truncated or wrong one; the error says so.
 */
export async function publishStatusLists(workspace: Workspace, options: PublishOptions = {}): Promise<PublishedList[]> {
  const io = options.io ?? realIo;
  const { config, register, key } = workspace;
  const dir = options.outDir ?? path.join(workspace.dir, 'status');
  fs.mkdirSync(dir, { recursive: true });
  const published: PublishedList[] = [];
  for (const list of await workspace.statusLists()) {
    const bits = await register.bitstring(list.id);
    const unsigned = await statusListCredential({ id: list.id, issuer: config.did, purpose: list.purpose, bitstring: bits });
    const signed = await issue(unsigned as unknown as Record<string, unknown>, { key });
    const content = Buffer.from(JSON.stringify(signed, null, 2) + '\n', 'utf8');
    const file = path.join(dir, `${list.id.split('/').pop()}.json`);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = io.openSync(tmp, 'wx', 0o644);
      try {
        for (let at = 0; at < content.length; ) at += io.writeSync(fd, content.subarray(at));
        io.fsyncSync(fd);
      } finally {
        io.closeSync(fd);
      }
      await checkWritten(io.readFileSync(tmp), content, bits.bytes, tmp);
      io.renameSync(tmp, file);
    } catch (e) {
      try {
        io.rmSync(tmp, { force: true });
      } catch {
        // the temporary file is harmless; the published name was not touched
      }
      throw new MicrocredError('STATUS_ERROR', `Could not publish ${list.id}: ${(e as Error).message}. The previously published ${path.basename(file)} is unchanged; fix the cause (disk space?) and publish again`, { cause: e });
    }
    syncDir(dir);
    await checkWritten(fs.readFileSync(file), content, bits.bytes, file);
    let set = 0;
    for (const byte of bits.bytes) for (let b = byte; b; b &= b - 1) set++;
    published.push({ file, hostAt: list.id, set });
  }
  return published;
}

/** The bytes on disk are the bytes signed, they parse, and the list they carry is the register's. */
async function checkWritten(onDisk: Buffer, expected: Buffer, bits: Uint8Array, file: string): Promise<void> {
  if (!onDisk.equals(expected)) throw new MicrocredError('STATUS_ERROR', `${file} reads back ${onDisk.length} bytes, not the ${expected.length} written`);
  const parsed = JSON.parse(onDisk.toString('utf8')) as { credentialSubject?: { encodedList?: string } };
  const decoded = await decodeBitstring(parsed.credentialSubject?.encodedList ?? '');
  if (decoded.bytes.length !== bits.length || decoded.bytes.some((b, i) => b !== bits[i])) throw new MicrocredError('STATUS_ERROR', `${file} does not carry the register's statuses`);
}
