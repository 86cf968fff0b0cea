import { MicrocredError } from '../errors';
import { ANNEX_I_ELEMENTS } from './annex';
import { isElmCredential, readElm } from './elm-reader';
import type { Json } from './json';
import { readOpenBadge } from './ob-reader';
import { mergeNodeCopies } from './merge-nodes';
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
  const sources: Found = {};
  const view = isElmCredential(vc) ? readElm(vc, sources) : readOpenBadge(vc, sources);
  view.elements = ANNEX_I_ELEMENTS.map((e) => {
    const at = sources[e.key];
    return {
      n: e.n,
      key: e.key,
      label: e.label,
      mandatory: e.mandatory,
      present: at !== undefined,
      ...(at ? { source: at.source, where: at.where } : {}),
    };
  });
  view.missingMandatory = view.elements.filter((e) => e.mandatory && !e.present).map((e) => e.key);
  return view;
}
