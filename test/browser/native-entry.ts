// Runs in Chromium: the native-path checks, with WebCrypto as the page has it, or (with ?no-webcrypto-ed25519) in
// a page whose WebCrypto refuses Ed25519 keys, as a browser without WebCrypto Ed25519 does, so that noble signs and
// verifies. Set before the library first looks for it.
import { runNativeChecks, type NativeCheckInputs } from './native-checks';

declare global {
  interface Window {
    runNativeChecks: (input: NativeCheckInputs) => ReturnType<typeof runNativeChecks>;
  }
}

if (location.search.includes('no-webcrypto-ed25519')) {
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  subtle.importKey = ((...args: unknown[]) => {
    const algorithm = args[2] as string | { name?: string };
    const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
    if (name === 'Ed25519') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
    return importKey(...args);
  }) as SubtleCrypto['importKey'];
}
window.runNativeChecks = runNativeChecks;
