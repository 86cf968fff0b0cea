import fs from 'node:fs';
import factory from '@rdfjs/dataset';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { createDocumentLoader } from '../../src/jsonld/loader';
import { fixturePath } from './fixtures';

/** One SHACL result, flattened for assertions and messages. */
export interface ShaclResult {
  focus: string;
  path: string | undefined;
  constraint: string | undefined;
  message: string;
}

const parseTurtle = (file: string) =>
  factory.dataset(new Parser().parse(fs.readFileSync(fixturePath('edc', file), 'utf8')));
let noCv: ReturnType<typeof parseTurtle> | undefined;
let full: ReturnType<typeof parseTurtle> | undefined;

/**
 * Validates a JSON-LD document against the EDC SHACL application profile (`no-cv`: structure; `full`: structure plus
 * the controlled-vocabulary constraints, which import no-cv) with rdf-validate-shacl, offline (bundled contexts only).
 */
export async function validateEdc(doc: unknown, profile: 'no-cv' | 'full' = 'no-cv'): Promise<ShaclResult[]> {
  noCv ??= parseTurtle('EDC-generic-no-cv.ttl');
  const shapes = profile === 'full' ? (full ??= parseTurtle('EDC-generic-full.ttl')) : noCv;
  const nquads = (await jsonld.toRDF(doc as object, {
    format: 'application/n-quads',
    documentLoader: createDocumentLoader() as never,
  })) as unknown as string;
  const data = factory.dataset(new Parser({ format: 'N-Quads' }).parse(nquads));
  const validator = new SHACLValidator(shapes, { importGraph: async () => noCv! } as never);
  const report = await validator.validate(data);
  return report.results.map((r) => ({
    focus: r.focusNode?.value ?? '',
    path: r.path?.value,
    constraint: r.sourceConstraintComponent?.value.split('#')[1],
    message: r.message.map((m) => m.value).join(' | '),
  }));
}
