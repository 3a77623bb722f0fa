// Artillery loads processors with import(); Node 24 strips the types of the
// TypeScript module this re-exports.
export * from '../src/scenarios/browser.ts';
