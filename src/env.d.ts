/**
 * Whether this is a development build. Every build of src/ writes it out as
 * `process.env.NODE_ENV !== 'production'` at each use (vite.config.ts `devFlag`), which an app's bundler
 * folds: a production build drops what it guards.
 */
declare const __DEV__: boolean
