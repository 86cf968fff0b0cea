import { ANNEX_I_ELEMENTS } from './annex';
import type { Json } from './json';
import { readOpenBadge } from './ob-reader';
import type { Found, MicroCredentialView } from './view';

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
