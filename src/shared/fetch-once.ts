/**
 * A fetcher that asks for each URL once per verification (a credential often names one status list or DID document
 * twice) and turns a fetcher's synchronous throw into a rejection like any other failure. `refuse` may turn a new URL
 * down before it is fetched (a private host, a spent budget); `fetched` is how many distinct URLs were asked so far.
 */
export function fetchOnce<T>(
  load: (url: string) => T | Promise<T>,
  refuse?: (url: string, fetched: number) => Error | undefined,
): (url: string) => Promise<T> {
  const asked = new Map<string, Promise<T>>();
  return (url: string) => {
    let pending = asked.get(url);
    if (pending === undefined) {
      const refusal = refuse?.(url, asked.size);
      if (refusal) return Promise.reject(refusal);
      pending = Promise.resolve().then(() => load(url));
      asked.set(url, pending);
    }
    return pending;
  };
}
