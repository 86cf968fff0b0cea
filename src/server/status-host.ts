import fs from 'node:fs';
import path from 'node:path';
import { publishStatusLists, publishTokenStatusLists, type Workspace } from '../node/index';
import { tokenStatusListUri } from '../index';

/**
 * The workspace's status list credentials as the service hosts them: signed by `publishStatusLists` into
 * `<workspace>/status/`, re-published after every status change the service records, and read back by the URL
 * each list names. Beside each revocation list, its IETF Token Status List (`publishTokenStatusLists`), which SD-JWT
 * VCs name in `status.status_list.uri` (the list's URL with `.jwt`). One publication runs at a time; a change made
 * from the command line shows once the service publishes again (its next status change, or `microcred status
 * publish`, which writes the same files).
 */
export class StatusListHost {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dir: string;

  constructor(private readonly workspace: Workspace) {
    this.dir = path.join(workspace.dir, 'status');
  }

  /** Signs and writes every list again (after a status change). Serialized: two changes never write at once. */
  publish(): Promise<void> {
    const run = this.queue.then(async () => {
      await publishStatusLists(this.workspace, { outDir: this.dir });
      await publishTokenStatusLists(this.workspace, { outDir: this.dir });
    });
    this.queue = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  /** The signed list whose id is `url` (as JSON text), publishing first when it was never published; undefined for a URL that is not one of ours. */
  async get(url: string): Promise<string | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => l.id === url);
    if (!list) return undefined;
    const file = path.join(this.dir, `${list.id.split('/').pop()}.json`);
    if (!fs.existsSync(file) || this.expired(file)) await this.publish();
    return fs.readFileSync(file, 'utf8');
  }

  /** The Token Status List (compact JWT) served at `uri`, publishing first when it was never published or has expired; undefined for a URI that is not one of ours. */
  async getToken(uri: string): Promise<string | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => l.purpose === 'revocation' && tokenStatusListUri(l.id) === uri);
    if (!list) return undefined;
    const file = path.join(this.dir, `${list.id.split('/').pop()}.jwt`);
    if (!fs.existsSync(file) || this.tokenExpired(file)) await this.publish();
    return fs.readFileSync(file, 'utf8');
  }

  /** What the service answers at a path (of a list's URL, or of its token's): the body and its media type. */
  async byPath(pathname: string): Promise<{ body: string; type: string } | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => safePathname(l.id) === pathname);
    if (list) return { body: (await this.get(list.id))!, type: 'application/vc+ld+json' };
    const token = lists.find((l) => l.purpose === 'revocation' && safePathname(tokenStatusListUri(l.id)) === pathname);
    if (token) return { body: (await this.getToken(tokenStatusListUri(token.id)))!, type: 'application/statuslist+jwt' };
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
      const { exp } = JSON.parse(Buffer.from(fs.readFileSync(file, 'utf8').split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
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
