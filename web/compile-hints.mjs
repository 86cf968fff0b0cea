/**
 * A Vite / Rollup plugin that marks a page's script chunks with V8's explicit compile hint,
 * `//# allFunctionsCalledOnLoad` (Chromium 136 and later; "Explicit JavaScript Compile Hints",
 * https://github.com/w3ctag/design-reviews/issues/947; other engines read it as a comment). Without it V8 compiles
 * each function on its first call, on the main thread, re-parsing its source: a page's first verify spent about half
 * its time there. With it, V8 compiles the whole chunk as it streams in, on a background thread, so the first verify
 * runs code already compiled. The price is paid while the chunk loads (more bytecode, compiled whether called or
 * not), which is why a benchmark of the first verify must also report the page's load (bench/browser.ts does).
 *
 * `include(chunk)` picks the chunks to mark (default: every chunk). A page's shell that must paint first is better
 * left out; the verifier's chunks, loaded before anything is dropped on the page, are the ones to mark.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/**
 * @param {{ include?: (chunk: { fileName: string; isEntry: boolean; isDynamicEntry: boolean }) => boolean }} [options]
 * @returns {import('vite').Plugin}
 */
export function compileHints(options = {}) {
  const include = options.include ?? (() => true);
  return {
    name: 'microcredentials-compile-hints',
    apply: 'build',
    enforce: 'post',
    // Last, after Vite has written its preload helper at the top of the chunks that import others on demand.
    generateBundle: {
      order: 'post',
      handler(_, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !include(chunk)) continue;
          // The hint counts only as the script's first line.
          chunk.code = COMPILE_HINT + chunk.code;
          // One more generated line at the top: shift a source map's mappings by one line.
          if (chunk.map) chunk.map.mappings = `;${chunk.map.mappings}`;
        }
      },
    },
  };
}
