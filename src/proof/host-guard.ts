import { MicrocredError, type ErrorCode } from '../errors';

/**
 * Whether a URL names a host a verifier must not be made to contact on a credential's say-so: loopback, private,
 * link-local (cloud metadata at 169.254.169.254), unspecified, carrier-grade NAT, multicast and reserved addresses,
 * and `localhost` names. A credential chooses the did:web hosts, controller URLs and status list URLs a verifier
 * looks up; without this, any holder could make a verifier's server call its own internal services (SSRF).
 *
 * This sees only the URL: a public name that resolves to a private address (DNS rebinding) is the fetcher's to refuse
 * at connection time. Unparseable URLs count as private (refused).
 */
export function isPrivateHostUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return true;
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (
    host === '' ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  )
    return true;
  if (host.startsWith('[') && host.endsWith(']')) return isPrivateIpv6(host.slice(1, -1));
  // The WHATWG parser has already turned 2130706433, 0x7f.1, 127.1 … into dotted quads.
  const v4 = parseIpv4(host);
  return v4 !== undefined && isPrivateIpv4(v4);
}

/** Throws `code` for a URL `isPrivateHostUrl` refuses, naming the option that allows it. */
export function assertPublicHost(url: string, code: ErrorCode, what: string): void {
  if (isPrivateHostUrl(url)) {
    throw new MicrocredError(
      code,
      `Not ${what} ${url}: it names a loopback, private or link-local host (pass allowPrivateHosts: true to allow it)`,
    );
  }
}

function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // 0.0.0.0/8 "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 documentation
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a! >= 224 // multicast, reserved, broadcast
  );
}

function isPrivateIpv6(host: string): boolean {
  const groups = expandIpv6(host);
  if (!groups) return true;
  if (groups.every((g) => g === 0)) return true; // ::
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true; // ::1
  const v4 = (hi: number, lo: number) => isPrivateIpv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const [first, second, third, , fifth, sixth, seventh, eighth] = groups as [number, ...number[]];
  // Addresses that carry an IPv4 address and reach it: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
  // IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d: on an IPv6-only network the gateway connects to
  // that IPv4 address, a private one included) and 6to4 (2002:aabb:ccdd::). Judge the IPv4 address.
  if (groups.slice(0, 4).every((g) => g === 0)) {
    if (fifth === 0 && (sixth === 0xffff || sixth === 0)) return v4(seventh!, eighth!);
    if (fifth === 0xffff && sixth === 0) return v4(seventh!, eighth!);
  }
  if (first === 0x64 && second === 0xff9b) return third !== 0 || v4(seventh!, eighth!); // 64:ff9b:1::/48 is local use
  if (first === 0x2002) return v4(second!, third!);
  return (
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    (first & 0xffc0) === 0xfec0 || // site-local (deprecated, still routed on some networks)
    (first & 0xff00) === 0xff00 ||
    (first === 0x2001 && groups[1] === 0x0db8)
  );
}

/** Eight 16-bit groups, or undefined. The URL parser has already normalised the address (no embedded IPv4 left). */
function expandIpv6(host: string): number[] | undefined {
  const [head, tail, ...more] = host.split('::');
  if (more.length) return undefined;
  const parse = (s: string | undefined) => (s ? s.split(':') : []);
  const h = parse(head);
  const t = parse(tail);
  if (![...h, ...t].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t].map((g) => parseInt(g, 16));
}
