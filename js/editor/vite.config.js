// Builds the query editor's page into editor/dist (served by editor/server.mjs).
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One bundle for a page served from disk by a small server: no chunk-size advice needed.
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-jsonschema-form marks its modules 'use client' for React Server Components,
        // which mean nothing in a page bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
