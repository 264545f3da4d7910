/** Names for the nodes a cluster creates, from the cluster's `node.name.format` config. */

/** The format used when a cluster sets none. */
export const DEFAULT_NODE_NAME_FORMAT = 'node-$8R';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LETTERS_AND_DIGITS = `${LETTERS}0123456789`;

/** `$`, up to eight digits, then R (random), r (random, lower case) or I (index). */
const DIRECTIVE = /\$(\d{0,8})([rRI])/g;

/** A random string: a letter first, then letters and digits, drawn with `random` in [0, 1). */
function randomString(length: number, random: () => number): string {
  const pick = (set: string): string =>
    set[Math.min(Math.floor(random() * set.length), set.length - 1)] ?? '';
  let out = '';
  for (let i = 0; i < length; i++) out += pick(i === 0 ? LETTERS : LETTERS_AND_DIGITS);
  return out;
}

/**
 * The name of the node with cluster index `index` under `format`. Directives: `$nR` a random
 * string of n characters (8 without n) starting with a letter, `$nr` the same in lower case,
 * `$nI` the index zero-padded to n digits (`$I` as is). Everything else is copied. An empty or
 * missing format means {@link DEFAULT_NODE_NAME_FORMAT}. `random` returns numbers in [0, 1).
 */
export function formatNodeName(
  format: string | null | undefined,
  index: number,
  random: () => number = Math.random,
): string {
  const fmt = format || DEFAULT_NODE_NAME_FORMAT;
  return fmt.replace(DIRECTIVE, (_match, width: string, kind: string) => {
    if (kind === 'I') return String(index).padStart(width === '' ? 0 : Number(width), '0');
    const text = randomString(width === '' ? 8 : Number(width), random);
    return kind === 'r' ? text.toLowerCase() : text;
  });
}
