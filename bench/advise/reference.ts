/**
 * Fixed reference configurations scored beside the algorithms: the three indexes
 * the TPC-H README names as what a good advisor finds.
 */
import type { ChosenIndex } from './types.js';

export const TPCH_HAND_PICKED: readonly ChosenIndex[] = [
  { label: 'public.lineitem(l_partkey,l_suppkey)', sql: 'CREATE INDEX ON public.lineitem (l_partkey, l_suppkey)' },
  { label: 'public.lineitem(l_orderkey)', sql: 'CREATE INDEX ON public.lineitem (l_orderkey)' },
  { label: 'public.partsupp(ps_partkey,ps_suppkey)', sql: 'CREATE INDEX ON public.partsupp (ps_partkey, ps_suppkey)' },
];
