import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MicrocredError } from '../errors';
import { jwtKeyFromEd25519 } from '../keys/jwt-keys';
import {
  decodeTokenStatusList,
  signTokenStatusList,
  tokenListBytesFromBitstring,
  tokenStatusListUri,
} from '../proof/sd-jwt/status-list';
import { parseJwt } from '../verify/parse';
import { holdWorkspaceToMark } from './register-mark';
import { syncDir } from './sync-dir';
import type { Workspace } from './workspace';

/** One IETF Token Status List written by `publishTokenStatusLists`: its file and the URL to serve it at. */
export interface PublishedTokenList {
  file: string;
  /** The URL the file must be served at: the `uri` of the SD-JWT VCs' `status.status_list`. */
  hostAt: string;
  /** Entries set in the published list: revoked, or suspended in a suspension list. */
  set: number;
}

/** Options of `publishTokenStatusLists`: where to write, and how long the signed lists stay valid. */
export interface PublishTokenOptions {
  /** Where to write `<last URL segment>.jwt` for each list; default `<workspace>/status` (beside the bitstring lists). */
  outDir?: string;
  /** Seconds until each token expires (default 1 day): publish again before then. */
  validForSeconds?: number;
  /**
   * Publish even when a revocation list's token would clear a bit the last published token had set, its last token is
   * unreadable or another's, or the register is older than the workspace folder. Only after restoring on purpose.
   */
  force?: boolean;
}

/**
 * Signs and writes, for every status list of the workspace, the IETF Token Status List (`statuslist+jwt`) that
 * SD-JWT VCs point to: the same register bits as the BitstringStatusListCredential `publishStatusLists` writes, the
 * file named `<last URL segment>.jwt` beside it and served at {@link tokenStatusListUri}. Written atomically (temp
 * file, fsync, read back and compared with the register's bits, rename, folder fsync): a failure leaves the previous
 * token, never a torn one. A revocation list's token has 1 bit per status (INVALID), a suspension list's 2 bits
 * (SUSPENDED, reversible). As `publishStatusLists`, and unless forced, it refuses a register older than the workspace
 * folder (REGISTER_INCONSISTENT) and a revocation list's token that would clear a bit the last published one had set
 * (STATUS_ERROR): a revocation is final.
 */
export async function publishTokenStatusLists(
  workspace: Workspace,
  options: PublishTokenOptions = {},
): Promise<PublishedTokenList[]> {
  const { config, register } = workspace;
  const key = await jwtKeyFromEd25519(workspace.key);
  const dir = options.outDir ?? path.join(workspace.dir, 'status');
  if (!options.force) await holdWorkspaceToMark(workspace, 'publication');
  fs.mkdirSync(dir, { recursive: true });
  const published: PublishedTokenList[] = [];
  const planned: Array<{ list: { id: string; purpose: 'revocation' | 'suspension' }; bits: Uint8Array }> = [];
  // Every list is checked before any is written: a refusal leaves the folder as it was.
  for (const list of await workspace.statusLists()) {
    const bits = (await register.bitstring(list.id)).bytes;
    if (!options.force && list.purpose === 'revocation')
      await checkAgainstLastToken(path.join(dir, `${list.id.split('/').pop()}.jwt`), list.id, config.did, bits);
    planned.push({ list, bits });
  }
  for (const { list, bits } of planned) {
    const uri = tokenStatusListUri(list.id);
    const token = await signTokenStatusList(bits, {
      key,
      uri,
      issuer: config.did,
      statusPurpose: list.purpose,
      ...(options.validForSeconds !== undefined ? { validForSeconds: options.validForSeconds } : {}),
    });
    const file = path.join(dir, `${list.id.split('/').pop()}.jwt`);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, token, { flag: 'wx', mode: 0o644 });
      const fd = fs.openSync(tmp, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      await checkToken(fs.readFileSync(tmp, 'utf8'), token, bits, list.purpose);
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw new MicrocredError(
        'STATUS_ERROR',
        `Could not publish the token status list of ${list.id}: ${(e as Error).message}. The previously published ${path.basename(file)} is unchanged`,
        { cause: e },
      );
    }
    syncDir(dir);
    let set = 0;
    for (const byte of bits) for (let b = byte; b; b &= b - 1) set++;
    published.push({ file, hostAt: uri, set });
  }
  return published;
}

/**
 * A revocation is final: the token about to replace the last published one at `file` must set every bit it set. A
 * last token that cannot be read, or is another issuer's or list's, is refused as `publishStatusLists` refuses such a
 * list: the folder is not this register's.
 */
async function checkAgainstLastToken(file: string, listId: string, issuer: string, bits: Uint8Array): Promise<void> {
  if (!fs.existsSync(file)) return;
  const refuse = (why: string): MicrocredError =>
    new MicrocredError(
      'STATUS_ERROR',
      `Not publishing the token status list of ${listId}: ${why}. Nothing was written. Restore the register and the status folder from your backup; publish with --force only if you restored on purpose and know which revocations you are undoing`,
      { path: '$.statusList' },
    );
  let before: Uint8Array;
  try {
    const claims = parseJwt(fs.readFileSync(file, 'utf8').trim()).jwtClaims ?? {};
    if (claims.iss !== issuer || claims.sub !== tokenStatusListUri(listId))
      throw refuse(`${file} is another list's token (${String(claims.sub)} by ${String(claims.iss)})`);
    before = (await decodeTokenStatusList(claims.status_list)).bytes;
  } catch (e) {
    if (e instanceof MicrocredError && e.code === 'STATUS_ERROR') throw e;
    throw refuse(`the last published ${file} is not a readable token (${(e as Error).message})`);
  }
  const want = tokenListBytesFromBitstring(bits, 1);
  let cleared = 0;
  for (let i = 0; i < before.length; i++) for (let b = before[i]! & ~(want[i] ?? 0); b; b &= b - 1) cleared++;
  if (cleared > 0)
    throw refuse(
      `${cleared} entr${cleared === 1 ? 'y' : 'ies'} revoked in the last published ${path.basename(file)} would be cleared (a revocation is final)`,
    );
}

/** The token on disk is the token signed, and its list inflates to exactly the register's bits (in token order). */
async function checkToken(
  onDisk: string,
  expected: string,
  bits: Uint8Array,
  purpose: 'revocation' | 'suspension',
): Promise<void> {
  if (onDisk !== expected)
    throw new MicrocredError(
      'STATUS_ERROR',
      `the file reads back ${onDisk.length} characters, not the ${expected.length} written`,
    );
  const { bytes } = await decodeTokenStatusList(parseJwt(onDisk).jwtClaims!.status_list);
  const want = tokenListBytesFromBitstring(bits, purpose === 'revocation' ? 1 : 2);
  if (bytes.length !== want.length || bytes.some((b, i) => b !== want[i]))
    throw new MicrocredError('STATUS_ERROR', "the token does not carry the register's statuses");
}
