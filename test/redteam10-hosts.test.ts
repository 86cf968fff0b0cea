import { describe, expect, it } from 'vitest';
import { createNodeFetchers } from '../src/node';
import { isPrivateHostUrl } from '../src/proof/host-guard';

/**
 * Round ten: IPv6 addresses that carry an IPv4 address and reach it. On an IPv6-only network with DNS64/NAT64 (a
 * common cloud set-up), 64:ff9b::a00:5 is 10.0.0.5 as far as the gateway is concerned: a credential that names it, or
 * a name whose AAAA record is it, must be refused like 10.0.0.5 itself.
 */
describe('host guard: IPv4 inside IPv6', () => {
  it('NAT64, IPv4-translated and 6to4 forms of private IPv4 addresses, and site-local, are private', () => {
    for (const url of [
      'https://[64:ff9b::127.0.0.1]/',
      'https://[64:ff9b::a00:5]/', // 10.0.0.5
      'https://[64:ff9b::a9fe:a9fe]/', // 169.254.169.254, cloud metadata
      'https://[64:ff9b:1::a00:5]/', // local-use NAT64 prefix (RFC 8215)
      'https://[::ffff:0:127.0.0.1]/',
      'https://[::ffff:0:a9fe:a9fe]/',
      'https://[2002:7f00:1::]/',
      'https://[2002:c0a8:101::1]/', // 192.168.1.1
      'https://[fec0::1]/',
    ])
      expect(isPrivateHostUrl(url), url).toBe(true);
  });

  it('the same forms of public IPv4 addresses stay public', () => {
    for (const url of ['https://[64:ff9b::808:808]/', 'https://[2002:808:808::1]/', 'https://[::ffff:0:808:808]/'])
      expect(isPrivateHostUrl(url), url).toBe(false);
  });

  it('the Node fetchers refuse a name whose AAAA record is a NAT64 address of a private IPv4 address, before connecting', async () => {
    const lookup = ((_host: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: '64:ff9b::a00:5', family: 6 }])) as never;
    const f = createNodeFetchers({ lookup });
    await expect(f.fetchStatusList('https://status.example/list.jwt')).rejects.toMatchObject({
      code: 'FETCH_REFUSED',
      message: expect.stringMatching(/resolves to 64:ff9b::a00:5/),
    });
  });
});
