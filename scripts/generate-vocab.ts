// Generates vocab/: an HTML page and a Turtle file for this project's own terms (https://w3id.org/microcredentials/ns#…)
// and concept schemes (https://w3id.org/microcredentials/vocab/…), from src/model/vocab/project-terms.ts, the one
// source. w3id.org redirects those IRIs here (docs/publishing.md). Run: npm run gen:vocab. test/vocab-pages.test.ts
// fails when the committed files differ from what this script writes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyVocabulary } from '../src/model/vocab/concept';
import { PROJECT_NAMESPACE, PROJECT_SCHEMES, PROJECT_TERMS } from '../src/model/vocab/project-terms';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VOCAB_BASE = 'https://w3id.org/microcredentials/vocab/';
const CONTEXT = 'https://w3id.org/microcredentials/v1';

const PREFIXES = [
  '@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .',
  '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
  '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .',
  '@prefix dcterms: <http://purl.org/dc/terms/> .',
  '@prefix elm: <http://data.europa.eu/snb/model/elm/> .',
].join('\n');

function ttlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"@en`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function page(title: string, turtleFile: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${html(title)}</title>`,
    `<link rel="alternate" type="text/turtle" href="${turtleFile}">`,
    '<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}dt{font-weight:bold;margin-top:1rem}</style>',
    '</head>',
    '<body>',
    `<h1>${html(title)}</h1>`,
    ...body,
    `<p>Machine-readable: <a href="${turtleFile}">Turtle</a>. Generated from <code>src/model/vocab/project-terms.ts</code> of the <code>microcredentials</code> library; used in credentials through the JSON-LD context <a href="${CONTEXT}"><code>${CONTEXT}</code></a>.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function nsFiles(): Record<string, string> {
  const ttl = [
    PREFIXES,
    '',
    `<${PROJECT_NAMESPACE.slice(0, -1)}> a <http://www.w3.org/2002/07/owl#Ontology> ;`,
    `  rdfs:label ${ttlString('EU micro-credential terms that ELM does not define')} .`,
    '',
  ];
  const body: string[] = [
    '<p>The terms the project had to define because the European Learning Model (ELM) has none. Every other term of the context is an ELM, Dublin Core, SKOS or FOAF term.</p>',
    '<dl>',
  ];
  for (const t of PROJECT_TERMS) {
    const local = t.iri.slice(PROJECT_NAMESPACE.length);
    ttl.push(
      `<${t.iri}> a ${t.kind === 'property' ? 'rdf:Property' : 'rdfs:Class'} ;`,
      `  rdfs:label ${ttlString(t.label)} ;`,
      `  rdfs:comment ${ttlString(t.definition)} ;`,
      `  skos:scopeNote ${ttlString(`Why not ELM: ${t.reason}`)} ;`,
      `  skos:note ${ttlString(`Values: ${t.range}`)} ;`,
      `  rdfs:isDefinedBy <${PROJECT_NAMESPACE.slice(0, -1)}> .`,
      '',
    );
    body.push(
      `<dt id="${local}"><code>${html(t.iri)}</code> (${t.kind})</dt>`,
      `<dd><p>${html(t.definition)}</p><p><em>Values:</em> ${html(t.range)}</p><p><em>Why not ELM:</em> ${html(t.reason)}</p></dd>`,
    );
  }
  body.push('</dl>');
  return {
    'ns.ttl': ttl.join('\n'),
    'ns.html': page('Micro-credential terms (https://w3id.org/microcredentials/ns#)', 'ns.ttl', body),
  };
}

function schemeFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { vocabulary: v, reason } of PROJECT_SCHEMES) {
    const vocabulary: AnyVocabulary = v;
    const name = vocabulary.$scheme.slice(VOCAB_BASE.length);
    const ttl = [
      PREFIXES,
      '',
      `<${vocabulary.$scheme}> a skos:ConceptScheme ;`,
      `  skos:prefLabel ${ttlString(vocabulary.$title)} ;`,
      `  skos:scopeNote ${ttlString(reason)} .`,
      '',
    ];
    const body = [`<p><code>${html(vocabulary.$scheme)}</code>. ${html(reason)}</p>`, '<dl>'];
    for (const c of vocabulary.$concepts) {
      const local = c.id.slice(vocabulary.$scheme.length + 1);
      ttl.push(
        `<${c.id}> a skos:Concept ;`,
        `  skos:inScheme <${vocabulary.$scheme}> ;`,
        ...(c.notation ? [`  skos:notation "${c.notation}" ;`] : []),
        `  skos:prefLabel ${ttlString(c.label)} .`,
        '',
      );
      body.push(
        `<dt id="${local}"><code>${html(c.id)}</code></dt>`,
        `<dd>${html(c.label)}${c.notation ? ` (notation <code>${html(c.notation)}</code>)` : ''}</dd>`,
      );
    }
    body.push('</dl>');
    out[`${name}.ttl`] = ttl.join('\n');
    out[`${name}.html`] = page(vocabulary.$title, `${name}.ttl`, body);
  }
  return out;
}

/** File name in vocab/ → content. */
export function vocabFiles(): Record<string, string> {
  return { ...nsFiles(), ...schemeFiles() };
}

function main(): void {
  const dir = path.join(root, 'vocab');
  fs.mkdirSync(dir, { recursive: true });
  const files = vocabFiles();
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== content) fs.writeFileSync(target, content);
  }
  console.log(`vocab: ${Object.keys(files).length} files → vocab/`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
