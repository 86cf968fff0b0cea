import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { vocabFiles } from '../scripts/generate-vocab';
import { PROJECT_SCHEMES, PROJECT_TERMS } from '../src/entries/model';

describe('vocabulary pages (vocab/, served behind https://w3id.org/microcredentials/)', () => {
  const files = vocabFiles();

  it('are up to date: the committed files are what `npm run gen:vocab` writes', () => {
    const committed = fs.readdirSync(new URL('../vocab/', import.meta.url)).sort();
    expect(committed).toEqual(Object.keys(files).sort());
    for (const [name, content] of Object.entries(files)) {
      expect(
        fs.readFileSync(new URL(`../vocab/${name}`, import.meta.url), 'utf8'),
        `vocab/${name} is stale: run npm run gen:vocab`,
      ).toBe(content);
    }
  });

  it('describe every project term and every project concept, in HTML and Turtle', () => {
    for (const t of PROJECT_TERMS) {
      const local = t.iri.split('#')[1]!;
      expect(files['ns.html']).toContain(`id="${local}"`);
      expect(files['ns.ttl']).toContain(`<${t.iri}> a rdf:Property`);
    }
    for (const { vocabulary } of PROJECT_SCHEMES) {
      const name = vocabulary.$scheme.split('/').pop()!;
      for (const c of vocabulary.$concepts) {
        expect(files[`${name}.html`]).toContain(`id="${c.id.split('/').pop()}"`);
        expect(files[`${name}.ttl`]).toContain(`<${c.id}> a skos:Concept`);
      }
    }
  });
});
