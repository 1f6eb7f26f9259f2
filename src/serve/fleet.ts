/**
 * A fleet served: its members opened lazily, each on its first visit, as its own
 * ServedDatabase, and kept open afterwards — at most `maxOpen` at once: opening one more
 * closes the least recently visited one that is idle (no job, no page being read); its
 * advice is kept and given back when it is opened again.
 * A member that cannot be opened is tried again on its next visit; the others go on.
 */
import { InputError, oneLine } from '../errors.js';
import type { FleetMember } from '../fleet/fleet-file.js';
import type { AdviceReport } from '../model/recommendation.js';
import type { ServedDatabase } from './database.js';

/** Members kept open at once unless told otherwise. */
export const DEFAULT_MAX_OPEN = 20;

export class ServedFleet {
  /** Open members, least recently visited first. */
  private readonly opened = new Map<string, ServedDatabase>();
  private readonly opening = new Map<string, Promise<ServedDatabase>>();
  /** The advice of members closed to stay under maxOpen, given back when they open again. */
  private readonly keptAdvice = new Map<string, AdviceReport>();
  /** Why a member's last opening failed (one line), until it opens. */
  private readonly failures = new Map<string, string>();
  private readonly byName: ReadonlyMap<string, FleetMember>;

  constructor(
    readonly members: readonly FleetMember[],
    private readonly open: (member: FleetMember) => Promise<ServedDatabase>,
    private readonly maxOpen: number = DEFAULT_MAX_OPEN,
  ) {
    this.byName = new Map(members.map((m) => [m.name, m]));
  }

  member(name: string): FleetMember | undefined {
    return this.byName.get(name);
  }

  /** The member's database if it is open now (the visit order is left as it is). */
  peek(name: string): ServedDatabase | undefined {
    return this.opened.get(name);
  }

  lastFailure(name: string): string | undefined {
    return this.failures.get(name);
  }

  /** The member's database, opened on first use; rejects with why it cannot be opened. */
  get(member: FleetMember): Promise<ServedDatabase> {
    const ready = this.opened.get(member.name);
    if (ready !== undefined) {
      this.opened.delete(member.name);
      this.opened.set(member.name, ready);
      return Promise.resolve(ready);
    }
    const pending = this.opening.get(member.name) ?? this.startOpening(member);
    return pending;
  }

  private startOpening(member: FleetMember): Promise<ServedDatabase> {
    const pending = (async () => {
      try {
        // rejected, not thrown: the finally below must run after the promise is recorded
        const db = await (member.url.startsWith('env:')
          ? Promise.reject(new InputError(`environment variable ${member.url.slice(4)} is not set`))
          : this.open(member));
        this.failures.delete(member.name);
        db.advice ??= this.keptAdvice.get(member.name) ?? null;
        this.keptAdvice.delete(member.name);
        this.opened.set(member.name, db);
        await this.closeLeastRecent();
        return db;
      } catch (error) {
        this.failures.set(member.name, oneLine(error));
        throw error;
      } finally {
        this.opening.delete(member.name);
      }
    })();
    this.opening.set(member.name, pending);
    return pending;
  }

  private async closeLeastRecent(): Promise<void> {
    for (const [name, db] of this.opened) {
      if (this.opened.size <= this.maxOpen) return;
      if (db.jobs.busy() || !db.idle) continue;
      this.opened.delete(name);
      if (db.advice !== null) this.keptAdvice.set(name, db.advice);
      await db.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    const open = [...this.opened.values()];
    this.opened.clear();
    await Promise.allSettled(open.map((db) => db.close()));
  }
}
