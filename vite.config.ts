import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  build: {
    lib: {
      entry: { index: here('src/index.ts'), core: here('src/core/index.ts') },
      formats: ['es'],
    },
    rollupOptions: { external: ['vue'] },
    outDir: here('dist'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
  },
  plugins: [vue()],
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**'],
          environment: 'node',
        },
      },
    ],
  },
})
