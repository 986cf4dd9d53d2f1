// Where a decoded message keeps the kernel's numbers behind the words of its
// named header fields (a route's `protocol: 'static'` was 4), so that a
// printer shaped like iproute2's, which tests and prints numbers, never turns
// a word back into a number (docs/architecture.md, "Decoded values"). A
// symbol key: JSON, Object.keys and deep equality do not see it, and the
// encoders, which walk the string keys, ignore it.
/**
 * The symbol key under which a decoded object keeps the kernel's numbers
 * behind its named fields: `route[kernelNumbers].protocol` is 4 where
 * `route.protocol` is 'static'. Invisible to JSON, `Object.keys` and deep
 * equality; the encoders ignore it.
 */
export const kernelNumbers: unique symbol = Symbol('kernelNumbers');
