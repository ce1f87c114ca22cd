import react from '@vitejs/plugin-react';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** The portal's budget for what a first visit downloads before the app runs (gzipped). */
const INITIAL_JS_BUDGET = 250 * 1024;

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/**
 * Reports the initial JavaScript (the entry chunk and every chunk it imports statically; lazy
 * routes excluded) gzipped, writes it to dist/bundle-report.json, and fails the build over budget.
 */
function initialJsBudget(): Plugin {
  return {
    name: 'prescriptchain-initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = bundle as unknown as Record<string, ChunkLike>;
      const entries = Object.values(chunks).filter((c) => c.type === 'chunk' && c.isEntry);
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name) || !chunks[name]) return;
        seen.add(name);
        for (const i of chunks[name].imports ?? []) visit(i);
      };
      entries.forEach((e) => visit(e.fileName));
      const files = [...seen].map((name) => ({
        file: name,
        bytes: Buffer.byteLength(chunks[name].code ?? ''),
        gzipBytes: gzipSync(chunks[name].code ?? '', { level: 9 }).length,
      }));
      const lazy = Object.values(chunks).filter((c) => c.type === 'chunk' && !seen.has(c.fileName));
      const total = files.reduce((s, f) => s + f.gzipBytes, 0);
      const report = {
        initialJsGzipBytes: total,
        budgetBytes: INITIAL_JS_BUDGET,
        files,
        lazyChunks: lazy.map((c) => ({
          file: c.fileName,
          gzipBytes: gzipSync(c.code ?? '', { level: 9 }).length,
        })),
      };
      this.emitFile({ type: 'asset', fileName: 'bundle-report.json', source: JSON.stringify(report, null, 2) });
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      console.log(`portal: initial JS ${kb(total)} gzipped (budget ${kb(INITIAL_JS_BUDGET)}), ${lazy.length} lazy chunks`);
      if (total > INITIAL_JS_BUDGET)
        this.error(`initial JS is ${kb(total)} gzipped, over the ${kb(INITIAL_JS_BUDGET)} budget`);
    },
  };
}

export default defineConfig({
  plugins: [react(), initialJsBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite` in gateway/portal while `npm start` runs: the API from the real gateway.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
