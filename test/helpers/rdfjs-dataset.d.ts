// @rdfjs/dataset ships no types; the SHACL helper needs only its dataset factory.
declare module '@rdfjs/dataset' {
  import type { DatasetCore, Quad } from '@rdfjs/types';
  const factory: { dataset(quads?: Iterable<Quad>): DatasetCore };
  export default factory;
}
