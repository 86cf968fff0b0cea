import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MicrocredError } from '../index';

/** Where a workspace keeps its service tokens (hashes only), beside its configuration. */
export const TOKENS_FILE = 'service-tokens.json';

/** A service token as listed: never the token itself, which only its creator saw once. */
export interface ServiceTokenInfo {
  id: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

interface StoredToken extends ServiceTokenInfo {
  /** SHA-256 of the token, hex. A 256-bit random token needs no slow hash: it cannot be guessed from its hash. */
  sha256: string;
}

const PREFIX = 'mcs_';

function read(dir: string): StoredToken[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, TOKENS_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const parsed = JSON.parse(text) as { tokens?: StoredToken[] };
  return Array.isArray(parsed.tokens) ? parsed.tokens : [];
}

/** Replaces the file atomically (temporary file, fsync, rename), mode 0600. */
function write(dir: string, tokens: StoredToken[]): void {
  const file = path.join(dir, TOKENS_FILE);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify({ tokens }, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Creates a bearer token for the service's issuing, status and offer endpoints: 256 random bits, returned once;
 * the workspace stores only its SHA-256 (in {@link TOKENS_FILE}, mode 0600).
 */
export function createServiceToken(
  workspaceDir: string,
  options: { label?: string } = {},
): { id: string; token: string } {
  const tokens = read(workspaceDir);
  const id = randomBytes(6).toString('hex');
  const token = PREFIX + randomBytes(32).toString('base64url');
  tokens.push({
    id,
    ...(options.label ? { label: options.label } : {}),
    createdAt: new Date().toISOString(),
    sha256: sha256(token),
  });
  write(workspaceDir, tokens);
  return { id, token };
}

/** Every token of the workspace (revoked ones with their date), without hashes. */
export function listServiceTokens(workspaceDir: string): ServiceTokenInfo[] {
  return read(workspaceDir).map(({ sha256: _hash, ...info }) => info);
}

/** Revokes a token by its id; a running service refuses it from its next request. Revoking twice is harmless. */
export function revokeServiceToken(workspaceDir: string, id: string): ServiceTokenInfo {
  const tokens = read(workspaceDir);
  const found = tokens.find((t) => t.id === id);
  if (!found)
    throw new MicrocredError(
      'NOT_FOUND',
      `No service token ${JSON.stringify(id)} in this workspace (see "microcred token list")`,
    );
  found.revokedAt ??= new Date().toISOString();
  write(workspaceDir, tokens);
  const { sha256: _hash, ...info } = found;
  return info;
}

/**
 * Checks presented bearer tokens against the workspace's live tokens. The file is re-read when it changes, so a
 * token created or revoked from the command line takes effect without a restart. The comparison hashes the
 * presented token and compares it with every stored hash in constant time, so timing tells nothing of which
 * stored hash came close.
 */
export function tokenChecker(workspaceDir: string): (presented: string | undefined) => boolean {
  const file = path.join(workspaceDir, TOKENS_FILE);
  let stamp = '';
  let live: Buffer[] = [];
  const refresh = (): void => {
    let now = 'absent';
    try {
      const st = fs.statSync(file);
      now = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no tokens file: no token is valid
    }
    if (now === stamp) return;
    stamp = now;
    live = read(workspaceDir)
      .filter((t) => !t.revokedAt && /^[0-9a-f]{64}$/.test(t.sha256))
      .map((t) => Buffer.from(t.sha256, 'hex'));
  };
  return (presented) => {
    if (typeof presented !== 'string' || !presented.startsWith(PREFIX) || presented.length > 200) return false;
    refresh();
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let ok = false;
    for (const h of live) ok = timingSafeEqual(h, digest) || ok;
    return ok;
  };
}
