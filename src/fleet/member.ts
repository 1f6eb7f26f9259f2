/** Opening one fleet member: a connection closed when the member's task ends or times out. */
import { connect, type ConnectOptions } from '../engines/connect.js';
import type { Engine } from '../engines/engine.js';
import { InputError } from '../errors.js';
import type { FleetMember } from './fleet-file.js';

/**
 * Runs `fn` on an engine connected to the member, closing it afterwards — or as soon as
 * `signal` fires (the member's timeout), which makes a query in flight fail.
 */
export async function withMember<T>(
  member: FleetMember,
  signal: AbortSignal,
  options: ConnectOptions,
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  if (member.url.startsWith('env:')) throw new InputError(`environment variable ${member.url.slice(4)} is not set`);
  const engine = await connect(member.url, options);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await engine.close().catch(() => {});
  };
  signal.addEventListener('abort', () => void close(), { once: true });
  try {
    return await fn(engine);
  } finally {
    await close();
  }
}
