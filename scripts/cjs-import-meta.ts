// Injected into the CommonJS build only (scripts/bundle.ts): what
// import.meta.url stands for there, the URL of the bundle file itself, so
// that the library finds its helper scripts beside index.cjs.
export const importMetaUrl: string = require('node:url').pathToFileURL(__filename).href;
