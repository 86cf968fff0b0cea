/**
 * The library's one vocabulary of stable codes. A thrown {@link MicrocredError} carries one of them, and so does a
 * failed or warning check in a verification report: a caller who switches on `code` sees the same names wherever
 * the problem surfaced. Narrower lists (a proof's failure, a stack check, a status list's spec error) are
 * `Extract<ErrorCode, …>` of this one, never a parallel list.
 *
 * test/error-codes.test.ts keeps it honest: every code used in src/ is listed here, and every code listed here is
 * used somewhere in src/.
 */
export type ErrorCode =
  // ── Input and documents ──────────────────────────────────────────────────────────────────────────────────────
  /** A required element is missing (e.g. a micro-credential without its workload). */
  | 'MISSING_ELEMENT'
  /** An element is present but its value is not allowed (wrong type, out of range, unknown vocabulary term). */
  | 'INVALID_ELEMENT'
  /** Two values of one credential contradict each other (e.g. ECTS shown to wallets vs ELM credit points). */
  | 'INCONSISTENT_VALUES'
  /** The input or an option is unusable as given (not an object, a bad number, a limit out of range). */
  | 'INVALID_INPUT'
  /** JSON text names the same member twice in one object (JSON.parse would silently keep the last). */
  | 'DUPLICATE_KEY'
  /** A JSON-LD document is not in the compacted form of its own contexts: its keys hide what its signature covers. */
  | 'NOT_COMPACTED'
  /** The document asks for a JSON-LD context the library does not hold, and loading it was not allowed. */
  | 'UNKNOWN_CONTEXT'
  /** A term or type is not defined by the document's contexts, so the signature would not cover it (JSON-LD safe mode). */
  | 'SAFE_MODE_VIOLATION'
  /** Canonicalizing the document would take more work than the limit allows (a blank-node bomb, or just too big). */
  | 'CANONICALIZATION_LIMIT'
  /** The credential does not match the Open Badges 3.0 JSON schema. */
  | 'SCHEMA_VIOLATION'
  /** A format (credential, presentation or proof format) the library does not produce or read. */
  | 'UNSUPPORTED_FORMAT'
  /** An image (PNG or SVG badge) is not a valid image, or carries no readable credential. */
  | 'INVALID_IMAGE'
  // ── Keys, signing and proofs ─────────────────────────────────────────────────────────────────────────────────
  /** A key is malformed, of the wrong type, or not the one a document lists. */
  | 'INVALID_KEY'
  /** Signing failed (no usable key, or the document cannot be secured as asked). */
  | 'PROOF_GENERATION_ERROR'
  /** The credential carries no proof at all. */
  | 'NO_PROOF'
  /** A signature does not hold: the credential was changed after signing, or signed with another key. */
  | 'INVALID_SIGNATURE'
  /** A proof type, cryptosuite or JWT algorithm the verifier does not support. */
  | 'UNSUPPORTED_PROOF'
  /** The proof's `expires` has passed. */
  | 'PROOF_EXPIRED'
  /** The proof's `created` is in the future (beyond the clock skew). */
  | 'PROOF_NOT_YET_VALID'
  /** `previousProof` names a proof id that is not in the document (Data Integrity §4.5). */
  | 'PREVIOUS_PROOF_MISSING'
  /** `previousProof` references loop back to the proof itself. */
  | 'PREVIOUS_PROOF_CYCLE'
  /** A DID or controller document could not be fetched or read (network error, timeout, budget spent, bad host). */
  | 'RESOLVER_ERROR'
  /** The key that signed is not one the issuer controls (its controller is someone else). */
  | 'KEY_BINDING_MISMATCH'
  /** A signature holds under a key that nothing ties to the issuer (an https fragment key): see docs/security.md. */
  | 'KEY_UNCONFIRMED'
  /** No trust source the verifier gave confirms who the issuer is: a warning, never a failure (docs/verifying.md). */
  | 'ISSUER_UNCONFIRMED'
  /** A fetcher refused a URL: not https, a private/loopback/link-local address, too many redirects, too big, wrong content type. */
  | 'FETCH_REFUSED'
  /** A fetch failed: network error, timeout, or an HTTP status other than 200. */
  | 'FETCH_FAILED'
  // ── Validity, status and linked resources ────────────────────────────────────────────────────────────────────
  /** The credential's validity period has not started yet. */
  | 'NOT_YET_VALID'
  /** The credential's validity period has ended. */
  | 'EXPIRED'
  /** The issuer has revoked the credential. */
  | 'REVOKED'
  /** The issuer has suspended the credential (it may be reinstated). */
  | 'SUSPENDED'
  /** A status list could not be made, read or written (a full list, a bad entry, a list that does not read back). */
  | 'STATUS_ERROR'
  /** The credential has a status entry and its status was not checked (no fetcher, unsupported type). */
  | 'STATUS_UNCHECKED'
  /** The status list could not be fetched (network error, resolver budget spent, not JSON). */
  | 'STATUS_RETRIEVAL_ERROR'
  /** The status list is signed by a party not trusted for this credential (statusListIssuers). */
  | 'STATUS_LIST_UNTRUSTED'
  /** The status list's own proof does not hold (tampered, unsigned, unknown key), or its `id` is not the URL the entry names. */
  | 'STATUS_LIST_INVALID'
  /** The status list credential is outside its validity period, or older than `maxStatusListAgeSeconds`. */
  | 'STATUS_LIST_EXPIRED'
  /** The entry's statusPurpose is not the list's. */
  | 'STATUS_PURPOSE_MISMATCH'
  /** The entry or the list is malformed (bad index, undecodable or oversized list, too short under strict length). */
  | 'STATUS_MALFORMED'
  /** A related resource (e.g. a linked image or document) does not have the digest the credential says it has. */
  | 'RELATED_RESOURCE_MISMATCH'
  /** An endorsement embedded in the credential does not verify. */
  | 'INVALID_ENDORSEMENT'
  // ── Presentations ────────────────────────────────────────────────────────────────────────────────────────────
  /** The presentation is signed by a key that is not its holder's. */
  | 'HOLDER_BINDING_MISMATCH'
  /** The presentation answers another challenge (nonce) than the verifier's. */
  | 'CHALLENGE_MISMATCH'
  /** The presentation was made for another domain (audience) than the verifier's. */
  | 'DOMAIN_MISMATCH'
  /** The presentation is older than the verifier accepts, or its time cannot be read. */
  | 'STALE_PRESENTATION'
  /** A credential inside a presentation, a stack or a CLR does not verify on its own. */
  | 'INVALID_CREDENTIAL'
  /** A credential inside the presentation is about someone other than the holder. */
  | 'SUBJECT_NOT_HOLDER'
  // ── SD-JWT VC (src/proof/sd-jwt/) ──────────────────────────────────────────────────────────────────────────
  /** An SD-JWT disclosure is not a base64url JSON array of salt, name and value (or salt and value), or names `_sd`/`...` or a claim twice. */
  | 'DISCLOSURE_MALFORMED'
  /** A disclosure's digest is not in the signed payload: it was altered after issuing, or taken from another credential. */
  | 'DISCLOSURE_UNREFERENCED'
  /** The same disclosure is given twice, or the signed payload names one digest twice. */
  | 'DISCLOSURE_REPEATED'
  /** The SD-JWT's `_sd_alg` is not `sha-256`, the one hash algorithm this library produces and accepts. */
  | 'SD_ALG_UNSUPPORTED'
  /** A Key Binding JWT's `sd_hash` is not the hash of the SD-JWT it came with: it was made for other disclosures. */
  | 'SD_HASH_MISMATCH'
  /** The SD-JWT VC is bound to a holder key (`cnf`) and the verifier asked for proof of it, but no Key Binding JWT came with it. */
  | 'KEY_BINDING_JWT_MISSING'
  // ── Stacks (src/stack/): one code per rule a programme and its parts must meet, and the refusal that lists them ─
  /** A part the programme requires is not among the credentials given. */
  | 'PART_MISSING'
  /** A credential given is not one of the programme's parts. */
  | 'PART_FOREIGN'
  /** The same part is given twice. */
  | 'PART_DUPLICATE'
  /** A part was not passed (its result is a fail, or it has no passing result). */
  | 'PART_NOT_PASSED'
  /** The parts are not all about the same learner as the programme. */
  | 'LEARNER_MISMATCH'
  /** The parts' credits do not add up to what the programme says. */
  | 'CREDITS_MISMATCH'
  /** The award dates are in the wrong order (a programme awarded before one of its parts) or unreadable. */
  | 'DATE_ORDER'
  /** A part comes from an issuer the programme does not accept. */
  | 'ISSUER_MISMATCH'
  /** A part is not the very credential the programme was awarded for (its digest differs). */
  | 'DIGEST_MISMATCH'
  /** The programme cannot be awarded: the reasons are in `problems`. */
  | 'PROGRAMME_NOT_EARNED'
  /**
   * The grade is not a pass, so no micro-credential is awarded (a micro-credential certifies outcomes achieved). Ask
   * for an assessment record instead with `failingGrade: 'record'` (CLI: `--record-fails`).
   */
  | 'NOT_PASSED'
  /** A roster row's identifiers (e.g. its e-mail and its student number) belong to two different learners in the register. */
  | 'IDENTIFIER_CONFLICT'
  /** A Comprehensive Learner Record (CLR) does not have the shape the standard asks for. */
  | 'INVALID_CLR'
  /** A programme has no part with the id asked for. */
  | 'UNKNOWN_PART'
  // ── Bugs ─────────────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Something failed that no check expected (a bug, or a caller's callback throwing something other than a
   * MicrocredError): reported as a failed check of the step where it happened, never thrown out of `verify`.
   */
  | 'INTERNAL_ERROR'
  // ── The register (src/node/register/) ────────────────────────────────────────────────────────────────────────
  /**
   * The register is busy: its file is locked by another process even after waiting, or another live process is
   * issuing this very credential right now. Trying again later will usually work (the service answers 503).
   */
  | 'REGISTER_LOCKED'
  /** The register's database server cannot be reached or refused the login; nothing was recorded. */
  | 'REGISTER_UNAVAILABLE'
  /** A credential the register records as issued cannot be handed back: its file is missing here or has changed since. */
  | 'ISSUED_FILE_UNAVAILABLE'
  /**
   * The register contradicts itself: the bytes it keeps for an issued credential do not have the SHA-256 recorded
   * at issue (a hand edit, a bad restore). Nothing is handed out; restore the register from backup.
   */
  | 'REGISTER_INCONSISTENT'
  // ── The service (src/server/) ────────────────────────────────────────────────────────────────────────────────
  /** The request needs a valid bearer token (`microcred token create`), and had none, or a revoked or unknown one. */
  | 'UNAUTHORIZED'
  /** The request body is larger than the service accepts for that endpoint. */
  | 'BODY_TOO_LARGE'
  /** The request body is not `application/json` (or, for the OpenID4VCI token endpoint, not a form). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** The request body is not well-formed JSON. */
  | 'MALFORMED_JSON'
  /** Nothing is served at this path (or this workspace has no such credential, list or offer). */
  | 'NOT_FOUND'
  /** An OpenID4VCI offer cannot be redeemed: unknown code, expired, already redeemed, or a wrong transaction code. */
  | 'OFFER_REFUSED'
  /** The service failed on its side; the request may be retried (issuing is idempotent for a credential with an id). */
  | 'INTERNAL_ERROR';
