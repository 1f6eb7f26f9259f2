/**
 * Partial-index predicates compared loosely: PostgreSQL prints `(deleted_at IS NULL)`
 * and `((status)::text = 'x'::text)` where a query says `deleted_at IS NULL` and
 * `status = 'x'`. Casts, parentheses, quotes, spaces and case are dropped.
 */
export function normalizePredicate(predicate: string | null): string {
  if (predicate === null) return '';
  return predicate
    .replace(/::[a-z_ ]+(\[\])?/gi, '')
    .replace(/[()\s"]/g, '')
    .toLowerCase();
}
