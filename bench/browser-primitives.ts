/**
 * The platform's primitives in Chromium, one by one, each warmed up and awaited one at a time: SHA-256 by WebCrypto
 * (a round trip to the browser's crypto thread) against noble's in the page, per input size; UTF-8 encodings of a
 * joined text; a WebCrypto Ed25519 verification. For deciding which path a browser should take for which input.
 *
 *   node --import tsx bench/browser-primitives.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleForBrowser, launchChromium } from '../test/helpers/browser';

const script = await bundleForBrowser('bench/browser/primitives-entry.ts');
const server = http.createServer((req, res) => {
  if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
  else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/page.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  console.log('SHA-256, µs each: bytes, WebCrypto awaited, noble in place');
  for (const size of [64, 300, 1024, 4096, 16384, 65536]) {
    const r = await page.evaluate(([s, n]) => window.primitives.sha256(s, n), [size, 300] as const);
    console.log(`  ${size}\t${r.webcrypto.toFixed(1)}\t${r.noble.toFixed(1)}`);
  }
  for (const [size, pieces] of [
    [600, 6],
    [12_000, 150],
  ] as const) {
    const r = await page.evaluate(([s, p, n]) => window.primitives.utf8(s, p, n), [size, pieces, 400] as const);
    console.log(`UTF-8 of ${size} chars in ${pieces} lines, µs each: ${JSON.stringify(r)}`);
  }
  console.log(
    `WebCrypto Ed25519 verify, µs each: ${(await page.evaluate(() => window.primitives.ed25519(300))).toFixed(1)}`,
  );
} finally {
  await browser.close();
  server.close();
}
