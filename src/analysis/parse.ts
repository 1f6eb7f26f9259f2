/**
 * The only module that imports libpg-query (the real PostgreSQL parser, in WASM).
 * Call `loadParser()` once before using the synchronous functions.
 */
import { fingerprintSync, loadModule, normalizeSync, parseSync, scanSync } from 'libpg-query';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parse tree is a large JSON union; analysis reads it defensively
export type AstNode = Record<string, any>;

let loading: Promise<void> | undefined;
let loaded = false;

export function loadParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

function assertLoaded(): void {
  if (!loaded) throw new Error('the SQL parser is not loaded: await loadParser() first');
}

export class SqlParseError extends Error {
  constructor(
    message: string,
    readonly position: number | null,
  ) {
    super(message);
  }
}

function toParseError(error: unknown): SqlParseError {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  return new SqlParseError(message, details?.cursorPosition ?? null);
}

export interface ParsedStatement {
  /** The statement node, e.g. { SelectStmt: {...} }. */
  readonly stmt: AstNode;
  /** Its text within the input. */
  readonly sql: string;
}

/** Parses text into statements; throws SqlParseError with the parser's message. */
export function parseStatements(sql: string): ParsedStatement[] {
  assertLoaded();
  let result: { stmts?: { stmt: AstNode; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = parseSync(sql) as typeof result;
  } catch (error) {
    throw toParseError(error);
  }
  const bytes = Buffer.from(sql, 'utf8');
  return (result.stmts ?? []).map((s) => {
    // Locations are byte offsets into the UTF-8 text.
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return { stmt: s.stmt, sql: bytes.subarray(start, end).toString('utf8').trim() };
  });
}

export function fingerprintOf(sql: string): string {
  assertLoaded();
  try {
    return fingerprintSync(sql);
  } catch (error) {
    throw toParseError(error);
  }
}

/** Literals replaced by $n, as pg_stat_statements shows queries. */
export function normalizeSql(sql: string): string {
  assertLoaded();
  try {
    return normalizeSync(sql);
  } catch (error) {
    throw toParseError(error);
  }
}

export interface Token {
  /** Offsets in JavaScript string units. */
  readonly start: number;
  readonly end: number;
  /** Offset in bytes of UTF-8, as the parse tree's `location` fields count. */
  readonly byteStart: number;
  readonly text: string;
  readonly kind: string;
}

/** The scanner's tokens (comments, strings and dollar quotes included), or null if the text does not scan. */
export function scanTokens(sql: string): Token[] | null {
  assertLoaded();
  let tokens: { start: number; end: number; text: string; tokenName: string }[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return null;
  }
  // The scanner counts bytes of UTF-8; JavaScript strings count UTF-16 units.
  const toChar = byteToCharIndex(sql);
  return tokens.map((t) => ({ start: toChar(t.start), end: toChar(t.end), byteStart: t.start, text: t.text, kind: t.tokenName }));
}

function byteToCharIndex(text: string): (byte: number) => number {
  if (Buffer.byteLength(text, 'utf8') === text.length) return (byte) => byte;
  const map: number[] = [];
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) map[byte + k] = i;
    byte += width;
    if (code >= 0x10000) i++; // a surrogate pair is one code point
  }
  map[byte] = text.length;
  return (b) => map[b] ?? text.length;
}

export const LITERAL_TOKENS = new Set(['SCONST', 'ICONST', 'FCONST', 'BCONST', 'XCONST', 'USCONST']);
