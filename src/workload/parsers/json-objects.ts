/**
 * The JSON objects of a stream, however they are laid out: one per line (jsonlog, an
 * export to a bucket), pretty-printed, or the elements of one top-level array (what
 * `gcloud logging read --format=json` and log viewers' downloads give). Each object's
 * text is cut out by counting braces outside strings, then parsed by JSON.parse. Text
 * between objects that is not `[`, `]`, `,` or white space is given back line by line, as
 * not JSON.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type JsonItem = { readonly object: Record<string, unknown> } | { readonly invalid: string };

/** An object larger than this is not a log record: it is given up as invalid. */
const MAX_OBJECT_CHARS = 64 * 2 ** 20;
const STRUCTURE = /[{}"\\]/g;
const BETWEEN = /[\s,[\]]*/y;

export async function* jsonObjects(input: Readable): AsyncGenerator<JsonItem> {
  const decoder = new StringDecoder('utf8');
  const scanner = new ObjectScanner();
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    yield* scanner.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  yield* scanner.push(decoder.end());
  yield* scanner.finish();
}

class ObjectScanner {
  private text = '';
  /** Where the unread text starts: the next object, or what lies before it. */
  private start = 0;
  /** Where scanning resumes inside the object being read. */
  private position = 0;
  private depth = 0;
  private inString = false;

  *push(chunk: string): Generator<JsonItem> {
    this.text = this.text.slice(this.start) + chunk;
    this.position -= this.start;
    this.start = 0;
    for (;;) {
      if (this.depth === 0 && !(yield* this.skipBetween())) return;
      const end = this.scan();
      if (end < 0) {
        if (this.text.length - this.start > MAX_OBJECT_CHARS) yield this.giveUp();
        return;
      }
      yield parsed(this.text.slice(this.start, end));
      this.start = end;
    }
  }

  *finish(): Generator<JsonItem> {
    const rest = this.text.slice(this.start).trim();
    if (rest !== '') yield* rest.split('\n').map((line) => ({ invalid: line }));
    this.text = '';
    this.start = 0;
  }

  /** Skips to the next object's `{`, giving back lines that are not JSON; false when there is none yet. */
  private *skipBetween(): Generator<JsonItem, boolean> {
    for (;;) {
      BETWEEN.lastIndex = this.start;
      BETWEEN.exec(this.text);
      this.start = BETWEEN.lastIndex;
      if (this.start >= this.text.length) return false;
      if (this.text[this.start] === '{') {
        this.position = this.start;
        return true;
      }
      const newline = this.text.indexOf('\n', this.start);
      if (newline < 0) return false;
      yield { invalid: this.text.slice(this.start, newline).slice(0, 200) };
      this.start = newline + 1;
    }
  }

  /** Scans on from `position`; the end of the object (exclusive), or -1 when it is not complete yet. */
  private scan(): number {
    const text = this.text;
    STRUCTURE.lastIndex = this.position;
    for (let match = STRUCTURE.exec(text); match !== null; match = STRUCTURE.exec(text)) {
      const at = match.index;
      const char = match[0];
      if (this.inString) {
        if (char === '\\') {
          // an escape cut at the chunk's end is read again with the next chunk
          if (at + 1 >= text.length) {
            this.position = at;
            return -1;
          }
          STRUCTURE.lastIndex = at + 2;
        } else if (char === '"') this.inString = false;
      } else if (char === '"') this.inString = true;
      else if (char === '{') this.depth++;
      else if (char === '}' && --this.depth === 0) return at + 1;
    }
    this.position = text.length;
    return -1;
  }

  private giveUp(): JsonItem {
    const newline = this.text.indexOf('\n', this.start);
    const line = this.text.slice(this.start, newline < 0 ? this.text.length : newline);
    this.start = newline < 0 ? this.text.length : newline + 1;
    this.depth = 0;
    this.inString = false;
    return { invalid: line.slice(0, 200) };
  }
}

function parsed(text: string): JsonItem {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { object: value as Record<string, unknown> };
  } catch {
    // reported as invalid below
  }
  return { invalid: text.slice(0, 200) };
}
