/**
 * Related resources fetched (to compare digests) per credential. Apart from the digest code so that `verify`'s options
 * can budget fetches without loading it (it loads on demand, for credentials that name related resources).
 */
export const MAX_FETCHED_RELATED_RESOURCES = 8;
