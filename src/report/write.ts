/** Renders the report to FILE.md or FILE.html. */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { reportDocument } from './content.js';
import type { ReportData } from './data.js';
import { renderHtml } from './html.js';
import { loadHtmlAssets } from './assets.js';
import { renderMarkdown } from './markdown.js';

export function reportFormat(path: string): 'markdown' | 'html' {
  const ext = extname(path).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'markdown';
  if (ext === '.html' || ext === '.htm') return 'html';
  throw new InputError(`--out must end in .md or .html, got "${path}"`);
}

export function renderReport(data: ReportData, format: 'markdown' | 'html'): string {
  const document = reportDocument(data);
  return format === 'markdown'
    ? renderMarkdown(document)
    : renderHtml(document, `Index strategy — ${data.info.database}`, loadHtmlAssets());
}

export function writeReport(data: ReportData, path: string): void {
  writeFileSync(path, renderReport(data, reportFormat(path)));
}
