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
}

/**
 * Signs and writes, for every status list of the workspace, the IETF Token Status List (`statuslist+jwt`) that
 * SD-JWT VCs point to: the same register bits as the BitstringStatusListCredential `publishStatusLists` writes, the
 * file named `<last URL segment>.jwt` beside it and served at {@link tokenStatusListUri}. Written atomically (temp
 * file, fsync, read back and compared with the register's bits, rename, folder fsync): a failure leaves the previous
 * token, never a torn one. A revocation list's token has 1 bit per status (INVALID), a suspension list's 2 bits
 * (SUSPENDED, reversible).
 */
export async function publishTokenStatusLists(
  workspace: Workspace,
  options: PublishTokenOptions = {},
): Promise<PublishedTokenList[]> {
  const { config, register } = workspace;
  const key = await jwtKeyFromEd25519(workspace.key);
  const dir = options.outDir ?? path.join(workspace.dir, 'status');
  fs.mkdirSync(dir, { recursive: true });
  const published: PublishedTokenList[] = [];
  for (const list of await workspace.statusLists()) {
    const bits = (await register.bitstring(list.id)).bytes;
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
