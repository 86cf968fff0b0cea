// Typechecks every ```ts code sample in README.md and docs/*.md against the sources, so a sample cannot drift from
// the API it shows. Each block is its own module (import what it uses; a block that continues an earlier one
// declares the values it takes over). The declarations can sit in an HTML comment right before the fence, which the
// rendered page hides and this check prepends to the sample:
//   <!-- sample-context
//   import type { MicroCredentialCredential } from 'microcredentials';
//   declare const credential: MicroCredentialCredential;
//   -->
// A block may opt out with ```ts nocheck <why> — only for a fragment that cannot stand alone; the reason is required.
// 'microcredentials' resolves to src/ as in tsconfig.json.
import { readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.samples-check');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const origin = new Map(); // sample file → "document:line"
let checked = 0;
const problems = [];
for (const doc of documents) {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const info = open[3].trim();
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    i = end;
    if (info.startsWith('nocheck')) {
      if (info.replace(/^nocheck/, '').trim() === '') problems.push(`${doc}:${start}: 'nocheck' needs a reason (\`\`\`ts nocheck <why>)`);
      continue;
    }
    const indent = open[1].length;
    const body = lines.slice(start, end).map((l) => l.slice(indent)).join('\n');
    const context = sampleContext(lines, start - 1);
    const file = `${doc.replace(/[/.]/g, '_')}_L${start}.ts`;
    // `export {}` makes every sample a module, so top-level await works and names do not clash across samples.
    // The context goes on the sample's first line (joined with ';'), so error line numbers still match the document.
    writeFileSync(join(outDir, file), `${context.join(' ')}${context.length > 0 ? ' ' : ''}${body}\nexport {};\n`);
    origin.set(file, `${doc}:${start + 1}`);
    checked++;
  }
}
/** The lines of a `<!-- sample-context … -->` comment ending right before the fence at `fence` (blank lines between allowed). */
function sampleContext(lines, fence) {
  let j = fence - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  if (j < 0 || lines[j].trim() !== '-->') return [];
  const close = j;
  while (j >= 0 && !lines[j].trim().startsWith('<!-- sample-context')) j--;
  if (j < 0) return [];
  return lines.slice(j + 1, close).map((l) => l.trim()).filter((l) => l !== '');
}

writeFileSync(
  join(outDir, 'tsconfig.json'),
  JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true, noUnusedLocals: false, baseUrl: '..' }, include: ['./*.ts', '../src/**/*.d.ts'] }, null, 2),
);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(outDir, 'tsconfig.json')], { encoding: 'utf8' });
if (tsc.status !== 0) {
  // Point each error at the document line it comes from (the sample's first line is the line after the fence).
  const out = (tsc.stdout + tsc.stderr).replace(/(?:\.samples-check\/)?([\w-]+_L(\d+)\.ts)\((\d+),(\d+)\)/g, (m, file, start, line) => {
    const where = origin.get(file);
    return where ? `${where.split(":")[0]}:${Number(start) + Number(line)}` : m;
  });
  console.error(out.trim());
  console.error(`samples: ${checked} checked, errors above (fix the sample, not the check)`);
  process.exit(1);
}
console.log(`samples: ${checked} code samples in ${documents.length} documents typecheck (${relative(root, outDir)}/)`);
