// Lint for the whole repository. The project-specific rules are the layer boundaries: src/core stays
// framework- and browser-agnostic (no vue, no window/document), so it runs in Node, workers and browsers
// alike; src/platform is browser glue without Vue; the Vue layer in src/ reaches the core only through
// its index.
import antfu from '@antfu/eslint-config'

export default antfu(
  {
    vue: true,
    // README examples are written for reading, aligned comments included
    markdown: false,
    typescript: true,
    ignores: ['dist/**', '.vitest-report/**', 'bench/RESULTS.md', '**/.nuxt/**', '**/.output/**'],
  },
  {
    rules: {
      // Its autofix turns Array.from({ length }, () => make()) into one shared make() result.
      'e18e/prefer-array-fill': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // `process.env.NODE_ENV !== 'production'` guards development-only code: an app's bundler replaces
      // it, so production builds drop what it guards. Importing `process` would defeat that.
      'node/prefer-global/process': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['vue', '@vue/*', '../*'], message: 'src/core knows nothing of Vue or the files around it.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'self'],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vue', '@vue/*'], message: 'src/platform is browser glue that knows nothing of Vue.' },
        { regex: String.raw`^\.\./(?!core/(?:index|internal)$)`, message: 'src/platform reaches the core only through its index (or its internal door).' },
      ] }],
    },
  },
  {
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: String.raw`^\./core/(?!(?:index|internal)$)`, message: 'The Vue layer reaches the core only through its index (or its internal door).' },
      ] }],
    },
  },
)
