import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { credentialHash } from './register';
import { writeNewFile } from './issue-batch';

/**
 * Whether a credential file's bytes are an earlier signing of the credential the register keeps: the same JSON
 * credential, with this id, apart from its proof. A server that crashed after writing its file and before completing
 * the issue in the register leaves such a file when the client's retry reaches another server, which completes the
 * issue with its own signing (another second's proof). That file was never handed out; the register's copy is the
 * credential. A file whose claims differ in anything but the proof (a hand edit, a wrong restore, a VC-JWT) is not
 * one: it stays "changed", for the registrar to look into.
 */
export function isSupersededSigning(fileBytes: Uint8Array, keptBytes: Uint8Array, credentialId: string): boolean {
  const file = parseCredential(fileBytes);
  const kept = parseCredential(keptBytes);
  if (!file || !kept || file.id !== credentialId || kept.id !== credentialId) return false;
  if (file.proof === undefined || kept.proof === undefined) return false;
  const { proof: _fileProof, ...fileClaims } = file;
  const { proof: _keptProof, ...keptClaims } = kept;
  return isDeepStrictEqual(fileClaims, keptClaims);
}

/**
 * Replaces a superseded signing in this server's folder with the register's bytes. The earlier file is not deleted:
 * it is renamed beside it (`<name>.superseded-<first 12 hex of its SHA-256>`, a name no command reads as a
 * credential), then the register's bytes are written as a new file is (never over another). Returns whether it was
 * replaced; anything else at that name is left alone.
 */
export function replaceSupersededSigning(file: string, keptBytes: Uint8Array, credentialId: string): boolean {
  let found: Buffer;
  try {
    found = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (found.equals(keptBytes) || !isSupersededSigning(found, keptBytes, credentialId)) return false;
  const aside = `${file}.superseded-${credentialHash(found).slice(0, 12)}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false; // another retry on this server moved it first
  }
  writeNewFile(file, keptBytes, credentialId);
  return true;
}

function parseCredential(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
