// Captured when this module loads, before a test can install fake timers, so
// the helpers' own timeouts still fire under vi.useFakeTimers() (as vitest's
// vi.waitFor does).
export const realSetTimeout = globalThis.setTimeout.bind(globalThis);
export const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
export const realSetImmediate = globalThis.setImmediate.bind(globalThis);
