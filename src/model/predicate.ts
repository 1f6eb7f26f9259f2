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

/**
 * Index expressions compared loosely: PostgreSQL prints `lower((email)::text)` and
 * `(payload ->> 'id'::text)` for an index built as `lower(email)` on a varchar column and
 * `payload ->> 'id'`. The implicit casts to text, parentheses, quotes, spaces and case are dropped.
 */
export function normalizeExpression(expression: string): string {
  return expression
    .replace(/::(text|character varying|varchar)\b/gi, '')
    .replace(/[()\s"]/g, '')
    .toLowerCase();
}
