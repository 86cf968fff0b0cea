import { MicrocredError } from '../errors';
import { MIN_STATUS_LIST_ENTRIES } from './bitstring';

/**
 * Chooses status list indexes for newly issued credentials.
 *
 * Why random, never sequential (Bitstring Status List v1.0, `statusListIndex` and §6 Privacy
 * Considerations): a status list protects holders by hiding each credential in a crowd — a verifier that
 * fetches the list learns nothing about *which* of the ~131,072 entries it cares about beyond the one bit
 * it reads. If indexes were handed out 0, 1, 2, …, the index itself would leak the credential's issuance
 * order (recency) and the highest index seen would reveal how many credentials the issuer has issued
 * (group size), shrinking the crowd. The spec therefore says implementations SHOULD assign indexes
 * randomly so such inferences "cannot be easily drawn from that position". Reusing an index would tie two
 * credentials to one bit (revoking one revokes both), so an index is never handed out twice.
 *
 * Every pick is uniform over the indexes still free, drawn from `crypto.getRandomValues` (not Math.random,
 * whose output can be predictable and so would let an observer reconstruct the order).
 */
export interface IndexAllocatorOptions {
  /** Number of entries in the list; defaults to the spec minimum, 131,072. */
  size?: number;
  /** Indexes already taken (e.g. loaded from the issuer's database). */
  used?: Iterable<number>;
  /**
   * Extra predicate for "already taken" state kept elsewhere (e.g. a database lookup). Consulted in
   * addition to `used` and to the indexes this allocator has handed out itself.
   */
  isUsed?: (index: number) => boolean;
}

/** Attempts at plain rejection sampling before falling back to scanning for the free indexes. */
const RANDOM_ATTEMPTS = 64;

/** Allocates status list indexes at random among the free ones, so an index says nothing about issue order. */
export class IndexAllocator {
  readonly size: number;
  private readonly taken = new Set<number>();
  private readonly external: ((index: number) => boolean) | undefined;

  constructor(options: IndexAllocatorOptions = {}) {
    const size = options.size ?? MIN_STATUS_LIST_ENTRIES;
    // 2^32 bounds the unbiased 32-bit draw below; real lists are far smaller.
    if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 32) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `Status list size must be an integer from 1 to 2^32; got ${String(size)}`,
      );
    }
    this.size = size;
    this.external = options.isUsed;
    for (const index of options.used ?? []) {
      if (Number.isSafeInteger(index) && index >= 0 && index < size) this.taken.add(index);
    }
  }

  /** Marks an index as taken without allocating it (e.g. one assigned by another process). */
  markUsed(index: number): void {
    if (Number.isSafeInteger(index) && index >= 0 && index < this.size) this.taken.add(index);
  }

  /** True when the index is already taken by any source this allocator knows about. */
  isUsed(index: number): boolean {
    return this.taken.has(index) || (this.external?.(index) ?? false);
  }

  /**
   * Returns a fresh index chosen uniformly at random among the free ones and records it as taken.
   * Throws STATUS_ERROR when the list is full — start a new list then.
   */
  allocate(): number {
    // Rejection sampling: a uniform draw that happens to be free is uniform over the free set. Cheap while
    // the list is sparse, which is the normal case.
    for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
      const candidate = randomBelow(this.size);
      if (!this.isUsed(candidate)) return this.claim(candidate);
    }
    // Dense list: enumerate what is left and pick one uniformly. Still uniform overall, since both paths
    // return a uniform choice from the same free set.
    const free: number[] = [];
    for (let i = 0; i < this.size; i++) if (!this.isUsed(i)) free.push(i);
    if (free.length === 0) {
      throw new MicrocredError(
        'STATUS_ERROR',
        `The status list is full: all ${this.size} indexes are in use; start a new list`,
      );
    }
    return this.claim(free[randomBelow(free.length)]!);
  }

  private claim(index: number): number {
    this.taken.add(index);
    return index;
  }
}

/** Unbiased uniform integer in [0, n) from the platform CSPRNG (n ≤ 2^32). */
function randomBelow(n: number): number {
  const crypto = globalThis.crypto;
  if (!crypto?.getRandomValues) {
    throw new MicrocredError(
      'STATUS_ERROR',
      'No crypto.getRandomValues in this environment; cannot allocate status indexes safely',
    );
  }
  // Discard draws from the incomplete top slice of the 32-bit range so every residue is equally likely.
  const limit = Math.floor(2 ** 32 / n) * n;
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    if (word[0]! < limit) return word[0]! % n;
  }
}
