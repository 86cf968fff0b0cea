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
//
// A sample that prints is also run, and what it prints must be what the text says: ```ts run, followed right after
// the fence by the expected standard output in a comment the rendered page hides:
//   <!-- sample-output
//   true Critical thinking and argumentation
//   -->
// ```ts run continues runs after the document's previous run block, in one module (for a tour split by prose).
// Every block that calls console.log must be a run block, so no sample can claim output nobody checked.
import { readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.samples-check');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const origin = new Map(); // sample file → "document:line"
const runs = []; // { where, code, expected }
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
      if (info.replace(/^nocheck/, '').trim() === '')
        problems.push(`${doc}:${start}: 'nocheck' needs a reason (\`\`\`ts nocheck <why>)`);
      continue;
    }
    const indent = open[1].length;
    const body = lines
      .slice(start, end)
      .map((l) => l.slice(indent))
      .join('\n');
    const context = sampleContext(lines, start - 1);
    const run = /^run\b/.test(info);
    if (!run && /\bconsole\.log\(/.test(body))
      problems.push(
        `${doc}:${start}: this sample prints: make it \`\`\`ts run with a <!-- sample-output --> comment after it`,
      );
    if (run) {
      const expected = sampleOutput(lines, end + 1);
      if (expected === undefined)
        problems.push(
          `${doc}:${start}: a \`\`\`ts run sample needs a <!-- sample-output … --> comment right after its fence`,
        );
      // Declared values are for the typecheck only: a run needs real ones, from the earlier block it continues.
      if (!/\bcontinues\b/.test(info) && context.some((l) => /^declare\b/.test(l)))
        problems.push(
          `${doc}:${start}: a run sample cannot take declared values; make it self-contained or 'run continues'`,
        );
      const previous = /\bcontinues\b/.test(info) ? runs.filter((r) => r.doc === doc).at(-1) : undefined;
      if (/\bcontinues\b/.test(info) && !previous)
        problems.push(`${doc}:${start}: 'run continues' needs an earlier run block in the document`);
      if (previous) previous.superseded = true;
      runs.push({
        doc,
        where: `${doc}:${start + 1}`,
        code: `${previous ? `${previous.code}\n` : ''}${body}`,
        expected: [previous?.expected, expected ?? ''].filter(Boolean).join('\n'),
      });
    }
    const file = `${doc.replace(/[/.]/g, '_')}_L${start}.ts`;
    // `export {}` makes every sample a module, so top-level await works and names do not clash across samples.
    // The context goes on the sample's first line (joined with ';'), so error line numbers still match the document.
    writeFileSync(join(outDir, file), `${context.join(' ')}${context.length > 0 ? ' ' : ''}${body}\nexport {};\n`);
    origin.set(file, `${doc}:${start + 1}`);
    checked++;
  }
}
/** The expected output in a `<!-- sample-output … -->` comment starting at `from` (blank lines before allowed). */
function sampleOutput(lines, from) {
  let j = from;
  while (j < lines.length && lines[j].trim() === '') j++;
  if (j >= lines.length || lines[j].trim() !== '<!-- sample-output') return undefined;
  const out = [];
  for (j++; j < lines.length && lines[j].trim() !== '-->'; j++) out.push(lines[j]);
  return out.join('\n').trim();
}

/** The lines of a `<!-- sample-context … -->` comment ending right before the fence at `fence` (blank lines between allowed). */
function sampleContext(lines, fence) {
  let j = fence - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  if (j < 0 || lines[j].trim() !== '-->') return [];
  const close = j;
  while (j >= 0 && !lines[j].trim().startsWith('<!-- sample-context')) j--;
  if (j < 0) return [];
  return lines
    .slice(j + 1, close)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

writeFileSync(
  join(outDir, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, noUnusedLocals: false, baseUrl: '..' },
      include: ['./*.ts', '../src/**/*.d.ts'],
    },
    null,
    2,
  ),
);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(outDir, 'tsconfig.json')],
  { encoding: 'utf8' },
);
if (tsc.status !== 0) {
  // Point each error at the document line it comes from (the sample's first line is the line after the fence).
  const out = (tsc.stdout + tsc.stderr).replace(
    /(?:\.samples-check\/)?([\w-]+_L(\d+)\.ts)\((\d+),(\d+)\)/g,
    (m, file, start, line) => {
      const where = origin.get(file);
      return where ? `${where.split(':')[0]}:${Number(start) + Number(line)}` : m;
    },
  );
  console.error(out.trim());
  console.error(`samples: ${checked} checked, errors above (fix the sample, not the check)`);
  process.exit(1);
}
// Run the printing samples (each chain once, as its last block) and compare what they print with what the text says.
const runDir = join(outDir, 'run');
mkdirSync(runDir, { recursive: true });
let ran = 0;
for (const [i, r] of runs.entries()) {
  if (r.superseded) continue;
  const file = join(runDir, `sample-${i}.ts`);
  writeFileSync(file, `${r.code}\nexport {};\n`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', join(outDir, 'tsconfig.json'), file],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  const printed = (result.stdout ?? '').replace(/\r\n/g, '\n').trim();
  if (result.status !== 0)
    problems.push(
      `${r.where}: the sample exits ${result.status}:\n${(result.stderr ?? '').trim().split('\n').slice(0, 12).join('\n')}`,
    );
  else if (printed !== r.expected)
    problems.push(`${r.where}: the sample prints\n${printed}\nbut the text says\n${r.expected}`);
  ran++;
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `samples: ${checked} code samples in ${documents.length} documents typecheck; ${ran} that print ran and printed what the text says (${relative(root, outDir)}/)`,
);
