/**
 * The database picker in a fleet's header: a GET form (no script needed; app.js submits it
 * on change) to /switch, which redirects to the same kind of page of the chosen member.
 */
import { html, type Safe } from './html.js';
import { Links } from './links.js';

export interface PickerMember {
  readonly name: string;
  readonly tags: readonly string[];
}

export interface Picker {
  readonly members: readonly PickerMember[];
  /** The member shown; null on the fleet's home page. */
  readonly current: string | null;
}

/** The page list a route belongs to ('/indexes/:schema/:name' → '/indexes'): what switching keeps. */
export function pageKind(route: string): string {
  const first = route.split('/')[1] ?? '';
  return first === '' || first.startsWith(':') ? '/' : `/${first}`;
}

export function picker(p: Picker, route: string): Safe {
  const option = (m: PickerMember) =>
    html`<option value="${m.name}" ${m.name === p.current ? html` selected` : ''}>
      ${m.name}${m.tags.length > 0 ? ` (${m.tags.join(', ')})` : ''}
    </option>`;
  return html`<a href="/" class="fleet-home" id="fleet-home">Fleet</a>
    <form class="picker" method="get" action="/switch">
      <label for="picker-db">database</label>
      <select id="picker-db" name="db" data-autosubmit="1">
        ${p.current === null ? html`<option value="" selected>choose…</option>` : ''}${p.members.map(option)}
      </select>
      <input type="hidden" name="page" value="${p.current === null ? '/' : pageKind(route)}" />
      <button type="submit" id="picker-go">Go</button>
    </form>`;
}

/**
 * Where /switch?db=…&page=… leads: the same page list on the chosen member (an unknown page
 * kind: its Overview); an unknown member or none: the fleet's home page.
 */
export function switchTarget(
  members: readonly PickerMember[],
  db: string | undefined,
  page: string | undefined,
  pages: readonly string[],
): string {
  if (db === undefined || !members.some((m) => m.name === db)) return '/';
  const kind = page !== undefined && pages.includes(page) ? page : '/';
  return Links.forMember(db).to(kind);
}
