/**
 * The collector's cache key for a statement text. Two texts with the same key differ only
 * in the values of their string and number literals, in comments and in layout, so they
 * parse to the same workload entry. Identifiers are kept whole, quoted ones included:
 * `"t 1"` and `"t 2"`, `t0036` and `t0190` never share a key. Pure.
 */

const MAX_LENGTH = 20_000;

/** PostgreSQL's identifier characters after the first (any non-ASCII character is one). */
const NAME_CHARACTER = 'A-Za-z0-9_$\\u0080-\\uffff';

/**
 * What the key changes, leftmost first, in PostgreSQL's lexical terms: a quoted identifier
 * (kept as it is), a string (blanked), whitespace and comments (one space; a block comment
 * with another nested inside is unreadable here), a number that is not part of a name
 * (blanked), and what makes the text unreadable here: an unterminated quote or comment.
 */
const LEXEMES = new RegExp(
  [
    `("(?:[^"]|"")*")`,
    `('(?:[^']|'')*')`,
    // a lone space is left alone: it is most gaps, and it is already the one space
    String.raw`((?! (?![ \t\n\r\f\v]|--|/\*))(?:[ \t\n\r\f\v]|--[^\n\r]*|/\*(?:[^*/]|\*(?!/)|/(?!\*))*\*/)+)`,
    String.raw`((?<![${NAME_CHARACTER}.])(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?(?![${NAME_CHARACTER}.]))`,
    String.raw`(/\*|['"])`,
  ].join('|'),
  'g',
);

/**
 * The text with string and number literals blanked and whitespace and comments folded
 * into one space. Null (do not cache) for text a plain scan could misread: backslashes
 * (E'' strings), dollar quotes (any `$` not starting a parameter), nested comments,
 * unterminated quotes or comments, very long texts.
 */
export function shapeKey(text: string): string | null {
  if (text.length > MAX_LENGTH || text.includes('\\') || /\$(?!\d)/.test(text)) return null;
  let readable = true;
  const key = text.replace(LEXEMES, (lexeme: string, quoted?: string, string?: string, gap?: string, number?: string) => {
    if (quoted !== undefined) return quoted;
    if (string !== undefined || number !== undefined) return '?';
    if (gap !== undefined) return ' ';
    readable = false;
    return lexeme;
  });
  return readable ? key : null;
}
