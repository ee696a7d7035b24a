/**
 * `@mosaic/ui-shell`: the Lit single-page app, as the kernel consumes it — a function that builds
 * (or loads from the cache) the bundle and the page that loads it. The app's own code starts at
 * `src/main.ts`, which only the bundler reads.
 */
export { buildShell, type BuildShellOptions, type ShellAsset, type ShellBuild } from './build/build.js';
