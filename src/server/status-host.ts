import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { publishStatusLists, publishTokenStatusLists, type Workspace } from '../node/index';
import { isMicrocredError, tokenStatusListUri } from '../index';

/** How often, at most, a served list is compared with the register (default of {@link StatusListHost}). */
export const STATUS_RECHECK_MS = 5_000;

/**
 * The workspace's status list credentials as the service hosts them: signed by `publishStatusLists` into
 * `<workspace>/status/`, re-published after every status change the service records, and read back by the URL
 * each list names. Beside each list, its IETF Token Status List (`publishTokenStatusLists`), which SD-JWT
 * VCs name in `status.status_list.uri` (the list's URL with `.jwt`). One publication runs at a time.
 *
 * The register is the truth, not the file: before serving a list the host compares the statuses it last published
 * with the register's (at most every `recheckMs`), and publishes again when they differ. So a revocation recorded by
 * another server on the same register, or from the command line, is served here within seconds, and a list file left
 * over from an earlier run (or restored by mistake) is never served as it is: the first request of a process
 * publishes afresh.
 *
 * A publication the guards refuse (a register older than the last published list or than the workspace folder's
 * mark, a status folder that is not this register's, a missing folder the register says was published to) leaves
 * the host refusing: {@link refusal}
 * says why, for the operator's log and the health check, until a later publication succeeds.
 */
export class StatusListHost {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dir: string;
  /** Per list: a digest of the statuses this process last published, and when it last compared them with the register. */
  private readonly served = new Map<string, { statuses: string; checkedAt: number }>();

  constructor(
    private readonly workspace: Workspace,
    private readonly recheckMs = STATUS_RECHECK_MS,
  ) {
    this.dir = path.join(workspace.dir, 'status');
  }

  /**
   * A publication asked for by a request that found a list missing, expired or behind the register. Requests arriving
   * while it is queued or running share it instead of queueing one each: every publication signs every list, so a
   * burst of requests must not turn into a burst of publications.
   */
  private onDemand: Promise<void> | undefined;
  private publishOnDemand(): Promise<void> {
    this.onDemand ??= this.publish().finally(() => {
      this.onDemand = undefined;
    });
    return this.onDemand;
  }

  private refused: { reason: string; at: number } | undefined;
  private publishedOnce = false;

  /** Why the last publication was refused (the guard's words, which name files: for the operator, not the public); undefined while publications succeed. */
  get refusal(): string | undefined {
    return this.refused?.reason;
  }

  /**
   * Whether this server can serve its lists, for a health check: false while the last publication was refused. A
   * refused host is tried again at most every `recheckMs`, so a server a load balancer took out of rotation (and that
   * therefore gets no list requests) comes back once its operator has put the status folder right.
   */
  async canServe(): Promise<boolean> {
    const refused = this.refused;
    // A load balancer's first probe publishes, as a first list request would: a server whose folder the guard
    // refuses is out of rotation before any verifier is sent to it.
    if (!this.publishedOnce && !refused) await this.publishOnDemand().catch(() => undefined);
    else if (refused && Date.now() - refused.at >= this.recheckMs) {
      refused.at = Date.now();
      await this.publishOnDemand().catch(() => undefined);
    }
    return this.refused === undefined;
  }

  /** Signs and writes every list again (after a status change). Serialized: two changes never write at once. */
  publish(): Promise<void> {
    const run = this.queue.then(async () => {
      // The statuses as they are before signing: a change landing during the publication makes the next check differ,
      // so it is published then rather than missed.
      const lists = await this.workspace.statusLists();
      const before = await Promise.all(lists.map(async (l) => [l.id, await this.statusesNow(l.id)] as const));
      await publishStatusLists(this.workspace, { outDir: this.dir });
      await publishTokenStatusLists(this.workspace, { outDir: this.dir });
      const at = Date.now();
      for (const [id, statuses] of before) this.served.set(id, { statuses, checkedAt: at });
      this.refused = undefined;
      this.publishedOnce = true;
    });
    this.queue = run.catch((e: unknown) => {
      // STATUS_ERROR is a guard's refusal or a write that failed, REGISTER_INCONSISTENT a register older than the
      // workspace folder (restored from an old backup): publishing again will not help until someone acts.
      if (isMicrocredError(e) && (e.code === 'STATUS_ERROR' || e.code === 'REGISTER_INCONSISTENT'))
        this.refused = { reason: e.message, at: Date.now() };
    });
    return run.then(() => undefined);
  }

  /** The signed list whose id is `url` (as JSON text), publishing first when it was never published; undefined for a URL that is not one of ours. */
  async get(url: string): Promise<string | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => l.id === url);
    if (!list) return undefined;
    const file = path.join(this.dir, `${list.id.split('/').pop()}.json`);
    if (!fs.existsSync(file) || this.expired(file) || (await this.behindRegister(list.id)))
      await this.publishOnDemand();
    return fs.readFileSync(file, 'utf8');
  }

  /** Whether the register's statuses for the list differ from what this process last published (or it never did). */
  private async behindRegister(listId: string): Promise<boolean> {
    const served = this.served.get(listId);
    if (!served) return true;
    const now = Date.now();
    if (now - served.checkedAt < this.recheckMs) return false;
    if ((await this.statusesNow(listId)) !== served.statuses) return true;
    served.checkedAt = now;
    return false;
  }

  private async statusesNow(listId: string): Promise<string> {
    return createHash('sha256')
      .update((await this.workspace.register.bitstring(listId)).bytes)
      .digest('base64');
  }

  /** The Token Status List (compact JWT) served at `uri`, publishing first when it was never published or has expired; undefined for a URI that is not one of ours. */
  async getToken(uri: string): Promise<string | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => tokenStatusListUri(l.id) === uri);
    if (!list) return undefined;
    const file = path.join(this.dir, `${list.id.split('/').pop()}.jwt`);
    if (!fs.existsSync(file) || this.tokenExpired(file) || (await this.behindRegister(list.id)))
      await this.publishOnDemand();
    return fs.readFileSync(file, 'utf8');
  }

  /** What the service answers at a path (of a list's URL, or of its token's): the body and its media type. */
  async byPath(pathname: string): Promise<{ body: string; type: string } | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => safePathname(l.id) === pathname);
    if (list) return { body: (await this.get(list.id))!, type: 'application/vc+ld+json' };
    const token = lists.find((l) => safePathname(tokenStatusListUri(l.id)) === pathname);
    if (token)
      return { body: (await this.getToken(tokenStatusListUri(token.id)))!, type: 'application/statuslist+jwt' };
    return undefined;
  }

  private expired(file: string): boolean {
    try {
      const { validUntil } = JSON.parse(fs.readFileSync(file, 'utf8')) as { validUntil?: unknown };
      return typeof validUntil === 'string' && Date.parse(validUntil) <= Date.now();
    } catch {
      return true;
    }
  }

  /** A token whose `exp` has passed (or that cannot be read) is published again before it is served. */
  private tokenExpired(file: string): boolean {
    try {
      const { exp } = JSON.parse(
        Buffer.from(fs.readFileSync(file, 'utf8').split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as { exp?: unknown };
      return typeof exp === 'number' && exp * 1000 <= Date.now();
    } catch {
      return true;
    }
  }
}

/** The path part of a URL, or undefined for text that is not one. */
export function safePathname(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}
