import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MicrocredError } from '../errors';

/** The git work tree a path lies in (the folder holding `.git`), or undefined. */
export function gitWorkTree(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** Is `dir` ignored by git? Asks git itself (which knows every ignore source); undefined when git cannot be run. */
function ignoredByGit(root: string, dir: string): boolean | undefined {
  const r = spawnSync('git', ['check-ignore', '-q', '--no-index', path.relative(root, path.resolve(dir)) + '/'], {
    cwd: root,
    stdio: 'ignore',
    timeout: 10_000,
  });
  if (r.error || (r.status !== 0 && r.status !== 1)) return undefined;
  return r.status === 0;
}

/**
 * A workspace holds the signing key, the learner-linking secret and the register: committing it would publish
 * them. Inside a git work tree, the workspace must be ignored; with `writeIgnore` the entry is appended to the
 * work tree's `.gitignore`. Returns the `.gitignore` written, if any.
 */
export function guardAgainstGit(dir: string, options: { writeIgnore?: boolean } = {}): string | undefined {
  const root = gitWorkTree(dir);
  if (!root) return undefined;
  const relative = path.relative(root, path.resolve(dir)).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('..')) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `${path.resolve(dir)} is the top of a git repository; put the workspace (it holds the signing key) outside it, or in a sub-folder that git ignores`,
      { path: '$.dir' },
    );
  }
  const ignored = ignoredByGit(root, dir);
  if (ignored === true) return undefined;
  const ignoreFile = path.join(root, '.gitignore');
  if (options.writeIgnore) {
    const existing = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : '';
    fs.appendFileSync(
      ignoreFile,
      `${existing && !existing.endsWith('\n') ? '\n' : ''}# microcred workspace: signing key, learner-linking secret, register\n/${relative}/\n`,
    );
    return ignoreFile;
  }
  throw new MicrocredError(
    'INVALID_INPUT',
    `${path.resolve(dir)} is inside the git repository ${root} and not ignored there: the workspace holds the signing key and the register, which must never be committed. Put it outside the repository, or run again with --gitignore to add "/${relative}/" to ${ignoreFile}`,
    { path: '$.dir' },
  );
}
