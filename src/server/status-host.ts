import fs from 'node:fs';
import path from 'node:path';
import { publishStatusLists, type Workspace } from '../node/index';

/**
 * The workspace's status list credentials as the service hosts them: signed by `publishStatusLists` into
 * `<workspace>/status/`, re-published after every status change the service records, and read back by the URL
 * each list names. One publication runs at a time; a change made from the command line shows once the service
 * publishes again (its next status change, or `microcred status publish`, which writes the same files).
 */
export class StatusListHost {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dir: string;

  constructor(private readonly workspace: Workspace) {
    this.dir = path.join(workspace.dir, 'status');
  }

  /** Signs and writes every list again (after a status change). Serialized: two changes never write at once. */
  publish(): Promise<void> {
    const run = this.queue.then(() => publishStatusLists(this.workspace, { outDir: this.dir }));
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

  /** The paths (of each list's URL) the service answers, for routing. */
  async byPath(pathname: string): Promise<string | undefined> {
    const lists = await this.workspace.statusLists();
    const list = lists.find((l) => safePathname(l.id) === pathname);
    return list ? this.get(list.id) : undefined;
  }

  private expired(file: string): boolean {
    try {
      const { validUntil } = JSON.parse(fs.readFileSync(file, 'utf8')) as { validUntil?: unknown };
      return typeof validUntil === 'string' && Date.parse(validUntil) <= Date.now();
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
