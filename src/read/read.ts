import { MicrocredError } from '../errors';
import { readElm } from './elm-reader';
import { isElmCredential } from './elm-shape';
import type { Json } from './json';
import { mergeNodeCopies } from './merge-nodes';
import { readMergedOpenBadge, withElements } from './read-merged';
import type { Found, MicroCredentialView } from './view';

export type { ConceptValue } from './json';
export type { ElementPresence, ElementSource, LabelledValue, MicroCredentialView } from './view';

/**
 * Reads the EU micro-credential elements of a credential: an Open Badges 3.0 credential made by this library or by
 * another issuer (SURF eduBadges / educredentials terms, 1EdTech native fields such as `creditsAvailable` and EQF
 * alignments), or an ELM / European Digital Credential. Reports per element whether it is there and where it was
 * found. Tolerant of the shapes real credentials use (single values for arrays, language maps, VC 1.1 dates); it
 * throws only when the input is not a credential object at all.
 */
export function readMicroCredential(credential: unknown): MicroCredentialView {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    throw new MicrocredError('INVALID_INPUT', 'readMicroCredential expects a credential object', { path: '$' });
  }
  // Every copy of a node read as the whole node: what was signed, whichever copy comes first (./merge-nodes.ts).
  return readMergedMicroCredential(mergeNodeCopies(credential as Json));
}

/** {@link readMicroCredential} of what mergeNodeCopies returned, read as it is (the verifier merges once for two readers). */
export function readMergedMicroCredential(vc: Json): MicroCredentialView {
  if (!isElmCredential(vc)) return readMergedOpenBadge(vc);
  const sources: Found = {};
  return withElements(readElm(vc, sources), sources);
}
