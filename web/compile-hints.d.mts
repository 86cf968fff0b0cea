import type { Plugin } from 'vite';
export declare const COMPILE_HINT: string;
export declare function compileHints(options?: {
  include?: (chunk: { fileName: string; isEntry: boolean; isDynamicEntry: boolean }) => boolean;
}): Plugin;
