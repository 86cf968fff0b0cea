// A CommonJS module that fails while loading (test/lazy-deps.test.ts): loadCommonJs must not hide such failures.
throw new Error('failed while loading');
