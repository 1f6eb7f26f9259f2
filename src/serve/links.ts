/**
 * Where one database's pages live: at the root when serve shows one database, under
 * `/db/<name>/` for a member of a fleet. Every link, form action, POST target and job
 * result a page writes goes through `Links.to`, so the pages never know which it is.
 */

export class Links {
  /** `base` has no trailing slash: '' at the root. */
  private constructor(readonly base: string) {}

  static readonly root = new Links('');

  static forMember(name: string): Links {
    return new Links(`/db/${memberSegment(name)}`);
  }

  /** The URL of a page or API path of this database (`path` starts with '/'). */
  to(path: string): string {
    return `${this.base}${path}`;
  }
}

/**
 * A fleet member's name as one path segment. Names come from the fleet file and may hold
 * anything: all of it is percent-encoded, `~` too, and a name of dots only (which browsers
 * and URL parsers would resolve as `.`/`..`, even percent-encoded) is written after a `~`.
 */
export function memberSegment(name: string): string {
  const encoded = encodeURIComponent(name).replaceAll('~', '%7E');
  return /^\.*$/.test(name) ? `~${encoded}` : encoded;
}

/** The member name a path segment names (`memberSegment` reversed), or null when it is not valid percent-encoding. */
export function memberName(segment: string): string | null {
  try {
    return decodeURIComponent(segment.startsWith('~') ? segment.slice(1) : segment);
  } catch {
    return null;
  }
}
