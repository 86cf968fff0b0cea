/**
 * A behaviour check for refactors of the verifier: the same inputs through `verify` (two option sets) and, for
 * presentations, `verifyPresentation`, with every report written as one JSON line (key order included). Run it before
 * and after a change and compare the two outputs byte for byte.
 *
 *   tsx scripts/differential.ts gen <inputs.json>            # once: the inputs (fixtures + signed and tampered seeds)
 *   tsx scripts/differential.ts run <inputs.json> <out.jsonl> # before and after the change; then cmp the outputs
 *
 * Inputs are generated once and stored, so signatures and ids are the same in both runs; `run` uses only `verify`
 * and `verifyPresentation`, so it runs unchanged across refactors of everything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify, verifyPresentation } from '../src/index';

type Stored = { name: string; kind: 'text' | 'bytes'; data: string };
const NOW = new Date('2026-11-29T12:00:00Z');

async function gen(file: string): Promise<void> {
  const lib = await import('../src/index');
  const status = (await import('../src/entries/status')) as Record<string, unknown>;
  const { reiProgramme, sampleLearners, university } = await import('../examples/rei-programme');
  const inputs: Stored[] = [];
  const fixtures = fileURLToPath(new URL('../../shared/fixtures', import.meta.url));
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.(json|jsonld|jwt|txt)$/i.test(e.name))
        inputs.push({ name: path.relative(fixtures, f), kind: 'text', data: fs.readFileSync(f, 'utf8') });
      else if (/\.(png|svg)$/i.test(e.name))
        inputs.push({ name: path.relative(fixtures, f), kind: 'bytes', data: fs.readFileSync(f).toString('base64') });
    }
  };
  walk(fixtures);
  const key = lib.generateKey();
  const issuer = lib.defineIssuer({ ...university, id: key.controller, country: 'EE', name: university.name! });
  const listUrl = 'https://status.example/lists/1';
  const Bitstring = status.Bitstring as new (o: { length: number }) => { set(i: number, v: boolean): void };
  const bitstring = new Bitstring({ length: 131072 });
  bitstring.set(3, true);
  const statusList = await (status.statusListCredential as (i: object) => Promise<object>)({
    id: listUrl,
    issuer: key.controller,
    purpose: 'revocation',
    bitstring,
  });
  const signedList = await lib.issue(statusList as never, { key, created: '2026-01-01T00:00:00Z' });
  inputs.push({ name: 'status-list', kind: 'text', data: JSON.stringify(signedList) });
  const learner = sampleLearners[0]!.learner;
  const grades = [...sampleLearners[0]!.autumn, ...sampleLearners[0]!.spring];
  for (const [i, part] of reiProgramme.parts.entries()) {
    const credential = lib.award(part, {
      issuer,
      learner,
      grade: grades[i]!,
      awardedOn: '2024-01-26',
    }) as unknown as Record<string, unknown>;
    const withStatus = {
      ...credential,
      credentialStatus: (status.statusListEntry as (i: object) => object)({
        listCredentialId: listUrl,
        index: i + 2,
        purpose: 'revocation',
      }),
    };
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] as const) {
      for (const [label, base] of [
        ['plain', credential],
        ['status', withStatus],
      ] as const) {
        const signed = await lib.issue(base as never, { key, format, created: '2026-01-01T00:00:00Z' });
        const tag = `seed/${part.title.slice(0, 20)}/${format}/${label}`;
        inputs.push({ name: tag, kind: 'text', data: typeof signed === 'string' ? signed : JSON.stringify(signed) });
        if (typeof signed === 'string') {
          const [h, p, s] = signed.split('.');
          inputs.push({ name: `${tag}/bad-signature`, kind: 'text', data: `${h}.${p}.${s!.slice(0, -4)}AAAA` });
          const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
          inputs.push({
            name: `${tag}/changed-payload`,
            kind: 'text',
            data: `${h}.${Buffer.from(JSON.stringify({ ...claims, name: 'Changed' })).toString('base64url')}.${s}`,
          });
          continue;
        }
        const o = signed as Record<string, unknown>;
        const proof = o.proof as Record<string, unknown>;
        const variants: [string, unknown][] = [
          ['changed-name', { ...o, name: 'Changed' }],
          ['no-proof', { ...o, proof: undefined }],
          ['undefined-term', { ...o, madeUpTerm: 'x' }],
          ['unknown-context', { ...o, '@context': [...(o['@context'] as unknown[]), 'https://unknown.example/ctx'] }],
          [
            'inline-vocab',
            { ...o, '@context': [...(o['@context'] as unknown[]), { '@vocab': 'https://evil.example/#' }] },
          ],
          [
            'inline-term',
            {
              ...o,
              '@context': [...(o['@context'] as unknown[]), { madeUp: 'https://evil.example/#madeUp' }],
              madeUp: 1,
            },
          ],
          ['bad-signature', { ...o, proof: { ...proof, proofValue: `${String(proof.proofValue).slice(0, -4)}AAAA` } }],
          ['expired', { ...o, validUntil: '2025-01-01T00:00:00Z' }],
          ['future', { ...o, validFrom: '2099-01-01T00:00:00Z' }],
          ['foreign-vm', { ...o, proof: { ...proof, verificationMethod: 'did:web:issuer.example#key-1' } }],
          ['extra-proof', { ...o, proof: [proof, { ...proof, verificationMethod: 'did:web:throws.example#k' }] }],
          ['endorsement', { ...o, endorsement: [{ type: ['VerifiableCredential', 'EndorsementCredential'] }] }],
          ['duplicate-key', JSON.stringify(o).replace('{', '{"name":"First",')],
          ['not-json', JSON.stringify(o).slice(0, 200)],
        ];
        for (const [v, value] of variants)
          inputs.push({
            name: `${tag}/${v}`,
            kind: 'text',
            data: typeof value === 'string' ? value : JSON.stringify(value),
          });
        // A presentation holding it, unsigned and signed by the issuer's key.
        const vp = lib.createPresentation({ holder: key.controller, verifiableCredential: [o] } as never);
        inputs.push({ name: `${tag}/vp-unsigned`, kind: 'text', data: JSON.stringify(vp) });
        const signedVp = await lib.signPresentation(
          vp as never,
          { key, challenge: 'c-1', domain: 'hr.example', created: '2026-11-29T11:59:00Z' } as never,
        );
        inputs.push({
          name: `${tag}/vp-signed`,
          kind: 'text',
          data: typeof signedVp === 'string' ? signedVp : JSON.stringify(signedVp),
        });
      }
    }
  }
  fs.writeFileSync(file, JSON.stringify(inputs));
  console.log(`${inputs.length} inputs written to ${file}`);
}

async function run(file: string, out: string): Promise<void> {
  const inputs = JSON.parse(fs.readFileSync(file, 'utf8')) as Stored[];
  const list = inputs.find((i) => i.name === 'status-list')!;
  const optionSets: [string, Parameters<typeof verify>[1]][] = [
    ['default', { now: NOW }],
    [
      'online',
      {
        now: NOW,
        fetchStatusList: async () => JSON.parse(list.data) as unknown,
        resolveDocument: async (url: string) => {
          throw new Error(`no document for ${url}`);
        },
      } as Parameters<typeof verify>[1],
    ],
  ];
  const lines: string[] = [];
  for (const input of inputs) {
    const value = input.kind === 'bytes' ? new Uint8Array(Buffer.from(input.data, 'base64')) : input.data;
    for (const [label, options] of optionSets) {
      lines.push(JSON.stringify({ input: input.name, options: label, report: await verify(value, options) }));
      if (
        typeof value === 'string' &&
        /VerifiablePresentation|"vp"/.test(
          value.startsWith('{') ? value : Buffer.from(value.split('.')[1] ?? '', 'base64url').toString('utf8'),
        )
      ) {
        const report = await verifyPresentation(value, {
          ...(options as object),
          challenge: 'c-1',
          domain: 'hr.example',
        } as never);
        lines.push(JSON.stringify({ input: input.name, options: `${label}/presentation`, report }));
      }
    }
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`${inputs.length} inputs, ${lines.length} reports written to ${out}`);
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'gen' && a) await gen(a);
else if (mode === 'run' && a && b) await run(a, b);
else {
  console.error('usage: tsx scripts/differential.ts gen <inputs.json> | run <inputs.json> <out.jsonl>');
  process.exitCode = 2;
}
