import { parse as parseArray } from 'postgres-array';

/**
 * text[] and varchar[] (a procedure's documents, legal bases, aliases): PGlite's and pg's own parsers build each
 * quoted element a character at a time, and V8 keeps such a string as a chain of one node per character until
 * something flattens it. The national catalogue read that way held 5.1 M string nodes (165 MB of a 330 MB heap),
 * every one of them marked at each full collection: a knowledge-base reload then paused replies 130-260 ms.
 * postgres-array 3 cuts the elements out with `slice`: one string each.
 */
export const TEXT_ARRAYS = [1009, 1015];
// Not `parseArray` itself: PGlite calls a parser with the type's OID as second argument, which postgres-array would
// take for an element transform.
export const textArray = (value: string) => parseArray(value);
