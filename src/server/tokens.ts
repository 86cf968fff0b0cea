import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { MicrocredError } from '../index';
import type { Workspace } from '../node/index';

/**
 * The file an older version kept the service tokens in (hashes only). Its tokens are moved into the register the
 * first time the workspace's tokens are used, and the file renamed `service-tokens.json.imported`.
 */
export const TOKENS_FILE = 'service-tokens.json';

/** A service token as listed: never the token itself, which only its creator saw once, nor its hash. */
export interface ServiceTokenInfo {
  id: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
}

const PREFIX = 'mcs_';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Moves the tokens of an older workspace's {@link TOKENS_FILE} into the register (once: the file is renamed
 * afterwards), keeping each token's id, label and revocation, so a service upgraded in place keeps working.
 */
async function importTokenFile(workspace: Workspace): Promise<void> {
  const file = path.join(workspace.dir, TOKENS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const parsed = JSON.parse(text) as {
    tokens?: { id: string; label?: string; sha256: string; revokedAt?: string }[];
  };
  const known = async () => new Set((await workspace.register.serviceTokens()).map((t) => t.id));
  const before = await known();
  for (const t of Array.isArray(parsed.tokens) ? parsed.tokens : []) {
    if (!before.has(t.id)) {
      try {
        // A revoked token goes in revoked, in one statement: never live, even if the import stops half-way.
        await workspace.register.addServiceToken({
          id: t.id,
          sha256: t.sha256,
          ...(t.label ? { label: t.label } : {}),
          ...(t.revokedAt
            ? {
                revokedAt:
                  typeof t.revokedAt === 'string' && !Number.isNaN(Date.parse(t.revokedAt))
                    ? t.revokedAt
                    : new Date().toISOString(),
              }
            : {}),
        });
      } catch (e) {
        // Another server sharing the folder imported it first.
        if (!(await known()).has(t.id)) throw e;
      }
    }
    if (t.revokedAt) await workspace.register.revokeServiceToken(t.id);
  }
  try {
    fs.renameSync(file, `${file}.imported`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

const info = ({ sha256: _hash, ...rest }: ServiceTokenInfo & { sha256: string }): ServiceTokenInfo => rest;

/**
 * Creates a bearer token for the service's issuing, status and offer endpoints: 256 random bits, returned once;
 * the register keeps only its SHA-256, so every server using the register accepts it.
 */
export async function createServiceToken(
  workspace: Workspace,
  options: { label?: string } = {},
): Promise<{ id: string; token: string }> {
  await importTokenFile(workspace);
  const id = randomBytes(6).toString('hex');
  const token = PREFIX + randomBytes(32).toString('base64url');
  await workspace.register.addServiceToken({
    id,
    sha256: sha256(token),
    ...(options.label ? { label: options.label } : {}),
  });
  return { id, token };
}

/** Every token of the workspace (revoked ones with their date), without hashes. */
export async function listServiceTokens(workspace: Workspace): Promise<ServiceTokenInfo[]> {
  await importTokenFile(workspace);
  return (await workspace.register.serviceTokens()).map(info);
}

/** Revokes a token by its id; every running service refuses it from its next request. Revoking twice is harmless. */
export async function revokeServiceToken(workspace: Workspace, id: string): Promise<ServiceTokenInfo> {
  await importTokenFile(workspace);
  const revoked = await workspace.register.revokeServiceToken(id);
  if (!revoked)
    throw new MicrocredError(
      'NOT_FOUND',
      `No service token ${JSON.stringify(id)} in this workspace (see "microcred token list")`,
    );
  return info(revoked);
}

/**
 * The id of the live service token presented (undefined when none matches): what the register records as the actor
 * of a change made through the service, so the audit trail names the credential that made it, not what a request
 * body claims.
 */
export async function serviceTokenIdOf(workspace: Workspace, presented: string): Promise<string | undefined> {
  const hash = sha256(presented);
  return (await workspace.register.serviceTokens()).find((t) => t.sha256 === hash && !t.revokedAt)?.id;
}

/**
 * Checks presented bearer tokens against the register's live tokens, asking the register on every request, so a
 * token created or revoked from the command line (on any server) takes effect at once. Only the presented token's
 * SHA-256 is looked up: the lookup's timing depends on a hash the caller cannot steer, not on the stored tokens.
 */
export function tokenChecker(workspace: Workspace): (presented: string | undefined) => Promise<boolean> {
  let imported: Promise<void> | undefined;
  return async (presented) => {
    if (typeof presented !== 'string' || !presented.startsWith(PREFIX) || presented.length > 200) return false;
    // A failed import (a busy database) is tried again by the next request; this one fails.
    imported ??= importTokenFile(workspace).catch((e: unknown) => {
      imported = undefined;
      throw e;
    });
    await imported;
    return workspace.register.isLiveServiceToken(sha256(presented));
  };
}
