import { ANNEX_I_ELEMENTS, type AnnexElementKey } from './annex';
import type { Json } from './json';
import { readOpenBadge } from './ob-reader';
import type { ElementPresence, Found, MicroCredentialView } from './view';

/**
 * readMergedMicroCredential (./read.ts) of an Open Badge, without the ELM reader: what a verifying page needs up front
 * (the verifier loads the ELM reader only for an ELM credential).
 */
export function readMergedOpenBadge(vc: Json): MicroCredentialView {
  const sources: Found = {};
  return withElements(readOpenBadge(vc, sources), sources);
}

/** A reader's view completed with its Annex I element list: each element, whether present, and where it was found. */
export function withElements(view: MicroCredentialView, sources: Found): MicroCredentialView {
  const elements: ElementPresence[] = [];
  const missing: AnnexElementKey[] = [];
  for (const e of ANNEX_I_ELEMENTS) {
    const at = sources[e.key];
    const element: ElementPresence = {
      n: e.n,
      key: e.key,
      label: e.label,
      mandatory: e.mandatory,
      present: at !== undefined,
    };
    if (at !== undefined) {
      element.source = at.source;
      element.where = at.where;
    } else if (e.mandatory) missing.push(e.key);
    elements.push(element);
  }
  view.elements = elements;
  view.missingMandatory = missing;
  return view;
}
