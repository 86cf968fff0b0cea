import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { MicrocredError } from '../errors';
import type { Ed25519Key } from '../keys/multikey';
import { verifyProofSet } from '../proof/data-integrity';
import { credentialHash } from './register';
import { writeNewFile } from './issue-batch';

/**
 * Whether a credential file's bytes are an earlier signing of the credential the register keeps. A server that
 * crashed after writing its file and before completing the issue in the register leaves such a file when the
 * client's retry reaches another server, which completes the issue with its own signing (another second's proof).
 * That file was never handed out; the register's copy is the credential. It is one only when all of these hold, so
 * that a hand edit is never taken for one and stays "changed", for the registrar to look into:
 * - the bytes are exactly what an issue writes (`JSON.stringify(credential, null, 2)` and a newline): no duplicate
 *   key, whose first copy another reader would see, and no other layout;
 * - it is the credential with this id and, apart from its proof, the same claims as the register's copy;
 * - every one of its proofs verifies under this workspace's key (a proof edited by hand does not).
 */
export async function isSupersededSigning(
  fileBytes: Uint8Array,
  keptBytes: Uint8Array,
  credentialId: string,
  key: Ed25519Key,
): Promise<boolean> {
  // A leftover is the same credential give or take a proof; anything far larger is not worth parsing.
  if (fileBytes.length > keptBytes.length * 2 + 4096) return false;
  const text = Buffer.from(fileBytes).toString('utf8');
  const file = parseCredential(text);
  const kept = parseCredential(Buffer.from(keptBytes).toString('utf8'));
  if (!file || !kept || text !== `${JSON.stringify(file, null, 2)}\n`) return false;
  if (file.id !== credentialId || kept.id !== credentialId) return false;
  if (file.proof === undefined || kept.proof === undefined) return false;
  const { proof: _fileProof, ...fileClaims } = file;
  const { proof: _keptProof, ...keptClaims } = kept;
  if (!isDeepStrictEqual(fileClaims, keptClaims)) return false;
  const proofs = await verifyProofSet(file, {
    resolveVerificationMethod: async (id) => {
      if (id !== key.id) throw new MicrocredError('INVALID_KEY', `${id} is not this workspace's key`);
      return { id, controller: key.controller, publicKeyMultibase: key.publicKeyMultibase };
    },
  });
  return proofs.verified;
}

/**
 * Replaces a superseded signing in this server's folder with the register's bytes. The earlier file is not deleted:
 * it is kept beside (`<name>.superseded-<first 12 hex of its SHA-256>`, a name no command reads as a credential),
 * then the register's bytes are written as a new file is (never over another). Returns whether it was replaced;
 * anything else at that name is left as it is. Two servers on one folder may run this at once: each first renames
 * what is at the name to a name of its own, so it judges and moves only bytes it holds, and what it holds is never
 * lost (put back, or kept beside, or the same bytes as a copy that is there).
 */
export async function replaceSupersededSigning(
  file: string,
  keptBytes: Uint8Array,
  credentialId: string,
  key: Ed25519Key,
): Promise<boolean> {
  let found: Buffer;
  try {
    found = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (found.equals(keptBytes) || !(await isSupersededSigning(found, keptBytes, credentialId, key))) return false;
  const held = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.checking`;
  try {
    fs.renameSync(file, held);
  } catch {
    return false; // gone meanwhile: another server dealt with it
  }
  const bytes = fs.readFileSync(held);
  // What is held now may be the register's copy another server has just put back: that goes back as it is.
  const superseded =
    !bytes.equals(keptBytes) &&
    (bytes.equals(found) || (await isSupersededSigning(bytes, keptBytes, credentialId, key)));
  const place = superseded ? `${file}.superseded-${credentialHash(bytes).slice(0, 12)}` : file;
  try {
    fs.linkSync(held, place);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // The name is taken: by the same bytes (a name made from their hash, or the register's copy already back),
    // which lose nothing when this copy goes; otherwise this copy stays where it is, under its own name.
    if (!fs.readFileSync(place).equals(bytes)) return false;
  }
  fs.rmSync(held);
  if (!superseded) return false;
  writeNewFile(file, keptBytes, credentialId);
  return true;
}

function parseCredential(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
