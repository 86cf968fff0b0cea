// The page of bench/browser-primitives.ts: the platform's primitives timed one by one in Chromium.
import { sha256 } from '@noble/hashes/sha2.js';

declare global {
  interface Window {
    primitives: {
      /** µs per SHA-256 of `size` bytes: WebCrypto's digest awaited one at a time, noble's in place. */
      sha256(size: number, n: number): Promise<{ webcrypto: number; noble: number }>;
      /** µs per UTF-8 encoding of a text of about `size` chars joined from `pieces` lines (as canonical N-Quads are). */
      utf8(size: number, pieces: number, n: number): Record<string, number>;
      /** µs per WebCrypto Ed25519 verification awaited one at a time (RFC 8032 test 1). */
      ed25519(n: number): Promise<number>;
    };
  }
}

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16));
const best = (out: Record<string, number>, name: string, t0: number, n: number) => {
  out[name] = Math.min(out[name] ?? Number.POSITIVE_INFINITY, ((performance.now() - t0) / n) * 1000);
};

window.primitives = {
  async sha256(size, n) {
    const data = new Uint8Array(size).map((_, i) => (i * 7) & 255);
    for (let i = 0; i < 200; i++) {
      sha256(data);
      await crypto.subtle.digest('SHA-256', data);
    }
    const out: Record<string, number> = {};
    for (let rep = 0; rep < 3; rep++) {
      let t0 = performance.now();
      for (let i = 0; i < n; i++) await crypto.subtle.digest('SHA-256', data);
      best(out, 'webcrypto', t0, n);
      t0 = performance.now();
      for (let i = 0; i < n; i++) sha256(data);
      best(out, 'noble', t0, n);
    }
    return out as { webcrypto: number; noble: number };
  },
  utf8(size, pieces, n) {
    const lines: string[] = [];
    for (let i = 0; i < pieces; i++)
      lines.push(`<https://example.org/${i}> "${'y'.repeat(Math.max(1, size / pieces - 30))}" .\n`);
    const text = () => lines.join('');
    const shared = new TextEncoder();
    const scratch = new Uint8Array(size * 3 + 1000);
    const out: Record<string, number> = {};
    const time = (name: string, f: (s: string) => unknown) => {
      const texts = Array.from({ length: n }, text);
      const t0 = performance.now();
      for (const t of texts) f(t);
      best(out, name, t0, n);
    };
    for (let rep = 0; rep < 4; rep++) {
      time('new encoder, copied (noble utf8ToBytes)', (s) => new Uint8Array(new TextEncoder().encode(s)));
      time('shared encoder', (s) => shared.encode(s));
      time('encodeInto a scratch buffer', (s) => shared.encodeInto(s, scratch).written);
    }
    return out;
  },
  async ed25519(n) {
    const key = await crypto.subtle.importKey(
      'raw',
      fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    const signature = fromHex(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    const empty = new Uint8Array(0);
    for (let i = 0; i < 200; i++) await crypto.subtle.verify('Ed25519', key, signature, empty);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await crypto.subtle.verify('Ed25519', key, signature, empty);
    return ((performance.now() - t0) / n) * 1000;
  },
};
