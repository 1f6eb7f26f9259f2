/** Reads the browser libraries the HTML report inlines, from the installed packages. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlAssets } from './html.js';

const require = createRequire(import.meta.url);

/** A file next to a package's main entry (chart.js exports no package.json). */
function besideEntry(pkg: string, file: string): string {
  return readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
}

export function loadHtmlAssets(): HtmlAssets {
  return {
    chartJs: besideEntry('chart.js', 'chart.umd.min.js'),
    sortableJs: besideEntry('sortable-tablesort', 'sortable.min.js'),
    sortableCss: besideEntry('sortable-tablesort', 'sortable.min.css'),
  };
}
