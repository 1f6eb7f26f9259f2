/** The report document as Markdown. Pure. */
import { type Block, cellText, type Document } from './document.js';

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${b.text}`;
    case 'paragraph':
      return b.text;
    case 'list':
      return b.items.map((item) => `- ${item}`).join('\n');
    case 'code':
      return `\`\`\`sql\n${b.text}\n\`\`\``;
    case 'chart':
      return `*Chart — ${b.chart.title}:* ${b.chart.summary}`;
    case 'table': {
      if (b.rows.length === 0) return '_(none)_';
      const header = `| ${b.columns.map(escapeCell).join(' | ')} |`;
      const rule = `|${b.columns.map((_, i) => ((b.numeric ?? []).includes(i) ? '---:' : '---')).join('|')}|`;
      const rows = b.rows.map((row) => `| ${row.map((c) => escapeCell(cellText(c))).join(' | ')} |`);
      return [header, rule, ...rows].join('\n');
    }
  }
}

export function renderMarkdown(document: Document): string {
  return `${document.map(block).join('\n\n')}\n`;
}
