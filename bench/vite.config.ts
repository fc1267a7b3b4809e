import { defineConfig } from 'vite'
import { devFlag } from '../tests/support/devFlag.ts'

// Bundles the bench's Node side (the orchestrator and the server thread) into .bench/node/. Packages stay
// external and are loaded by Node, so Vue's production build is the one `NODE_ENV=production` selects.
export default defineConfig({
  logLevel: 'warn',
  plugins: [devFlag()],
  build: {
    ssr: true,
    outDir: '.bench/node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: { main: 'bench/main.ts', serverWorker: 'bench/serverWorker.ts', compare: 'bench/compare.ts' },
      output: { entryFileNames: '[name].mjs' },
    },
  },
})
