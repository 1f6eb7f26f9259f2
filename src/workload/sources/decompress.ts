/**
 * A log file's bytes as text, whatever it was compressed with: told by its first bytes
 * (magic numbers), never by its name. gzip goes through node's zlib, zstd too where this
 * node has zlib.createZstdDecompress (22.15+); bzip2, xz and zstd otherwise through the
 * `bzip2`, `xz` and `zstd` programs (Debian's packages of the same names), run as child
 * processes that stream: they decompress faster than any JavaScript port and on the other
 * core. A compression indexwise knows of but does not read (zip, 7z, lz4, …) is an
 * InputError, as is a missing program.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { InputError } from '../../errors.js';

export const COMPRESSIONS = ['gzip', 'bzip2', 'xz', 'zstd'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

const MAGIC: readonly (readonly [Compression, readonly number[]])[] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]], // "BZh", then the block size '1'..'9'
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];
/** Containers and compressions we recognize but do not read: the user gets told which. */
const UNSUPPORTED: readonly (readonly [string, readonly number[]])[] = [
  ['a zip archive (unzip it first)', [0x50, 0x4b, 0x03, 0x04]],
  ['a 7z archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['lz4-compressed', [0x04, 0x22, 0x4d, 0x18]],
  ['compressed with compress(1) (.Z)', [0x1f, 0x9d]],
  ['a rar archive', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
  ['lzip-compressed', [0x4c, 0x5a, 0x49, 0x50]],
];

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => bytes[i] === byte);

/** The compression of a file from its first bytes; null for none. Throws InputError for one we do not read. */
export function detectCompression(path: string, head: Uint8Array): Compression | null {
  for (const [name, magic] of MAGIC) {
    if (!startsWith(head, magic)) continue;
    if (name === 'bzip2' && !(head[3] !== undefined && head[3] >= 0x31 && head[3] <= 0x39)) continue;
    return name;
  }
  for (const [what, magic] of UNSUPPORTED) {
    if (startsWith(head, magic)) {
      throw new InputError(`cannot read ${path}: it is ${what}; indexwise reads plain, gzip, bzip2, xz and zstd logs`);
    }
  }
  return null;
}

export interface OpenedFile {
  /** The decompressed bytes. Errors of the file, zlib or the program arrive here. */
  readonly text: Readable;
  /** Stops reading quietly (a reader may stop early); ends a child process. */
  close(): void;
}

const PROGRAMS: Readonly<Record<Exclude<Compression, 'gzip'>, string>> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

/** Streams a file's bytes, counted for progress as stored, decompressed when `compression` says so. */
export function openDecompressed(
  path: string,
  compression: Compression | null,
  onBytes: (bytesRead: number) => void,
  chunkBytes: number,
): OpenedFile {
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesRead += chunk.length;
      onBytes(bytesRead);
      done(null, chunk);
    },
  });
  file.pipe(counter);
  const decoder = compression === null ? null : openDecoder(path, compression, counter);
  const text = decoder?.text ?? counter;
  file.on('error', (error) => text.destroy(error));
  return {
    text,
    close() {
      for (const stream of [file, counter, text]) stream.destroy();
      decoder?.close();
    },
  };
}

function openDecoder(path: string, compression: Compression, input: Readable): { text: Readable; close(): void } {
  const inZlib = zlibDecoder(compression);
  if (inZlib !== null) {
    input.pipe(inZlib);
    return { text: inZlib, close: () => inZlib.destroy() };
  }
  return programDecoder(path, PROGRAMS[compression as Exclude<Compression, 'gzip'>], input);
}

function zlibDecoder(compression: Compression): Transform | null {
  if (compression === 'gzip') return zlib.createGunzip();
  // node 22.15+ and 23.8+ decompress zstd themselves
  const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return compression === 'zstd' && typeof zstd === 'function' ? zstd() : null;
}

/** `PROGRAM -dc`, fed the file on stdin; its stdout is the text. A non-zero exit is an error of `text`. */
function programDecoder(path: string, program: string, input: Readable): { text: Readable; close(): void } {
  const text = new PassThrough();
  const child = spawn(program, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let closed = false;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString('utf8');
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'ENOENT'
        ? `it is ${program}-compressed and the ${program} program is not installed (Debian: apt-get install ${program === 'xz' ? 'xz-utils' : program})`
        : `${program}: ${error.message}`;
    text.destroy(new InputError(`cannot read ${path}: ${reason}`, { cause: error }));
  });
  child.on('close', (code) => {
    if (closed) return;
    if (code === 0) {
      text.end();
      return;
    }
    // "bzip2: Compressed file ends unexpectedly;", "xz: (stdin): Unexpected end of input", "zstd: /*stdin*\\: unknown header"
    const first = stderr.trim().split('\n')[0] ?? '';
    const message = first
      .replace(/^[\w.-]+: /, '')
      .replace(/^(?:\(stdin\)|\/\*stdin\*\\) ?: /, '')
      .replace(/;$/, '');
    text.destroy(new InputError(`cannot read ${path}: ${program} says "${message || `exit code ${code}`}"`));
  });
  // the child may exit before reading all of stdin (a broken file): that is its error to report
  child.stdin.on('error', () => undefined);
  input.on('error', (error) => text.destroy(error));
  input.pipe(child.stdin);
  // ended on the child's exit, so that a failing program ends the text with its error, not with an end
  child.stdout.pipe(text, { end: false });
  return {
    text,
    close() {
      closed = true;
      input.unpipe(child.stdin);
      child.stdin.destroy();
      child.stdout.destroy();
      if (child.exitCode === null) child.kill();
    },
  };
}
