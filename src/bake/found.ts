/** What a format reader found in an image, before the text is interpreted as JSON or a JWT. */
export type FoundText =
  /** The OB 3.0 credential text (JSON or compact JWS), untrimmed. */
  | { kind: 'ob3'; text: string }
  /** An Open Badges 2.0 assertion (a URL, JSON or a JWS); reported, never treated as a credential. */
  | { kind: 'ob2'; text: string }
  /** Nothing baked; `hint` explains a near miss (wrong chunk type, unbound prefix) when there was one. */
  | { kind: 'none'; hint?: string };
