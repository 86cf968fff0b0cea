import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// What `npm install microcredentials` puts on a registrar's disk: the CLI's help points to docs/cli.md and the README
// issues from examples/rei-programme.yaml, so both must be in the tarball; the registry page needs the project links.
describe('the published package', () => {
  const [info] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
  ) as { files: { path: string }[] }[];
  const files = new Set(info!.files.map((f) => f.path));

  it('ships the CLI reference, every guide and the example definition the README uses', () => {
    for (const f of ['docs/cli.md', 'docs/guide.md', 'docs/privacy.md', 'examples/rei-programme.yaml', 'README.md'])
      expect(files, f).toContain(f);
  });

  it('names its repository, home page and issue tracker, and builds before packing', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as Record<string, unknown>;
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\//) });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs).toMatchObject({ url: expect.stringMatching(/^https:\/\//) });
    expect((pkg.scripts as Record<string, string>).prepack).toMatch(/npm run build/);
  });

  it('README install lines name a command that exists: npx -p microcredentials microcred', async () => {
    const readme = (await import('node:fs')).readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).not.toMatch(/npx microcred\b/);
    expect(readme).toMatch(/npx -p microcredentials microcred/);
  });
});
