/**
 * What a queued job is, and what a queued command must say to be one: how to run one member
 * (the same single-database function as the in-process fleet run) and, optionally, what to
 * do once a member's result is stored (advise queues its schema groups' jobs).
 */
import { type FleetMember, resolveUrlSpec } from '../fleet-file.js';
import type { SchemaGroup } from '../groups.js';
import type { MemberRun } from '../result.js';
import { FLEET_DEFAULTS } from '../runner.js';
import type { Workload } from '../../model/workload.js';
import type { Queue } from './connection.js';

/** A member as the fleet file writes it: an `env:` URL is resolved by the worker, so no secret is queued. */
export type QueuedMember = Omit<FleetMember, 'url'>;

/** Every queued command's options carry the per-database time limit. */
export interface QueuedOptions {
  readonly timeoutMs?: number;
}

/** One member's job: the command's options, and what this member alone needs (verify's baseline). */
export interface MemberJob {
  readonly run: string;
  readonly command: string;
  readonly member: QueuedMember;
  readonly options: QueuedOptions;
  readonly input?: unknown;
}

/** A step after every member is done, one job per schema group (advise's group advice). */
export interface GroupJob {
  readonly run: string;
  readonly command: string;
  readonly group: SchemaGroup;
  readonly options: QueuedOptions;
}

export type FleetJob = MemberJob | GroupJob;

/** What a member's run keeps in the central store beside its result. */
export interface Kept {
  /** advise: the member's workload, merged for its group. */
  readonly workload?: Workload;
  /** advise: its tables' bytes (the group's representative is the biggest). */
  readonly bytes?: number;
  /** report: its own HTML page. */
  readonly html?: string;
}

export interface MemberCommand<O extends QueuedOptions = QueuedOptions, I = undefined> {
  readonly command: string;
  runMember(member: FleetMember, signal: AbortSignal, options: O, input: I): Promise<MemberRun<unknown> & Kept>;
  /** After a member's result is stored. */
  afterMember?(queue: Queue, run: string, options: O): Promise<void>;
}

export interface GroupCommand<O extends QueuedOptions = QueuedOptions> {
  readonly command: string;
  runGroup(queue: Queue, job: GroupJob & { readonly options: O }, worker: string): Promise<void>;
}

export const resolved = (member: QueuedMember): FleetMember => ({ ...member, url: resolveUrlSpec(member.urlSpec) });

export const queuedMember = ({ url: _url, ...member }: FleetMember): QueuedMember => member;

/** A job outlives its database's timeout by a margin; then pg-boss takes it as lost and retries it. */
export const expiry = (timeoutMs: number | undefined) => Math.ceil((timeoutMs || FLEET_DEFAULTS.timeoutMs) / 1000) + 5;
