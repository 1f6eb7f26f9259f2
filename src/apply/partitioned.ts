/**
 * A partitioned table cannot be indexed CONCURRENTLY in one statement. The way that
 * keeps writes flowing: the parent's index ON ONLY (instant, invalid), each partition's
 * index built concurrently and attached; the parent's index turns valid when every
 * partition has one. Sub-partitioned partitions recurse. On failure, what was built is dropped.
 */
import { attachIndexSql, dropIndexSql, indexName } from '../sql/ddl.js';
import type { QualifiedName } from '../model/catalog.js';
import { formatQualified } from '../sql/names.js';
import { type ApplyContext, type BuildTarget, buildIndex, indexOf, type Outcome, runWithRetries } from './build.js';
import { LeftBehindError } from './errors.js';
import { indexState, partitionsOf } from './pg-state.js';
import { describeFailure } from './sql-state.js';

export async function buildPartitioned(ctx: ApplyContext, target: BuildTarget): Promise<Outcome> {
  const parent = indexOf(target);
  const note = `${formatQualified(target.def.table)} is partitioned: its index is created ON ONLY, then each partition's index is built concurrently and attached`;
  const head = await buildIndex(ctx, { ...target, only: true });
  if (!head.ok) return { ...head, notes: [note, ...head.notes] };
  let attempts = head.attempts;
  const cleanedUp = [...head.cleanedUp];
  for (const partition of await partitionsOf(ctx.session.engine, target.def.table)) {
    const childDef = { ...target.def, table: { schema: partition.schema, name: partition.name } };
    const child: BuildTarget = { def: childDef, name: indexName(childDef), unique: target.unique };
    const built = partition.partitioned ? await buildPartitioned(ctx, child) : await buildIndex(ctx, child);
    attempts += built.attempts;
    cleanedUp.push(...built.cleanedUp);
    const attach = built.ok ? await runWithRetries(ctx, attachIndexSql(parent, indexOf(child))) : null;
    if (!built.ok || !attach?.ok) {
      const reason = built.ok
        ? `attaching ${formatQualified(indexOf(child))}: ${describeFailure(attach?.error)}`
        : `partition ${formatQualified(childDef.table)}: ${built.message}`;
      const dropped = await dropBuilt(ctx, target, built.ok ? child : null);
      return {
        ok: false,
        message: `${reason}; ${dropped.join(', ') || 'nothing'} dropped again`,
        attempts,
        cleanedUp: [...cleanedUp, ...dropped],
        notes: [note],
      };
    }
  }
  const state = await indexState(ctx.session.engine, parent);
  if (state.kind !== 'index' || !state.valid) {
    const dropped = await dropBuilt(ctx, target, null);
    return {
      ok: false,
      message: `${formatQualified(parent)} is not valid after attaching every partition's index; dropped`,
      attempts,
      cleanedUp: [...cleanedUp, ...dropped],
      notes: [note],
    };
  }
  return { ok: true, message: head.message.replace('built', 'built with its partitions'), attempts, cleanedUp, notes: [note] };
}

/** Drops the parent's index (with the partition indexes attached to it) and an unattached child. */
async function dropBuilt(ctx: ApplyContext, target: BuildTarget, unattached: BuildTarget | null): Promise<string[]> {
  const dropped: string[] = [];
  // what cannot be dropped is said, with how to drop it, never left silently
  const drop = async (index: QualifiedName, concurrently: boolean) => {
    const run = await runWithRetries(ctx, dropIndexSql(index, { concurrently, ifExists: true }));
    if (!run.ok) throw new LeftBehindError(index, run.cleanupError ?? run.error, run.cleanupError !== null);
    dropped.push(formatQualified(index));
  };
  if (unattached !== null) await drop(indexOf(unattached), true);
  await drop(indexOf(target), false);
  return dropped;
}
