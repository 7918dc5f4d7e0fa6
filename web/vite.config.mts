// Builds the explorer (index.html: case view, timeline, graph, search) and the self-hosted
// GraphiQL (graphiql.html) into web/dist, which src/web mounts on the API server.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  publicDir: resolve(root, 'public'),
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      // React libraries' "use client" directives mean nothing in a plain bundle: not worth a warning.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        main: resolve(root, 'index.html'),
        graphiql: resolve(root, 'graphiql.html'),
        report: resolve(root, 'report.html'),
      },
    },
  },
  worker: { format: 'es' },
});
