/** The shift report as Markdown (GitHub-flavoured tables). Pure. */
import type { HandoverReport } from './handover-schemas';
import { handoverLayout, type RenderOptions, type ReportTable } from './handover-sections';

export function handoverMarkdown(report: HandoverReport, options: RenderOptions = {}): string {
  const layout = handoverLayout(report, options);
  const out = [`# ${inline(layout.title)}`, '', ...layout.facts.map((f) => `- ${inline(f)}`)];
  for (const section of layout.sections) {
    out.push('', `## ${section.title}`, '');
    if (section.table) out.push(...tableLines(section.table));
    if (section.table && section.lines.length) out.push('');
    out.push(...section.lines.map((l) => `- ${inline(l)}`));
    if (!section.table && !section.lines.length) out.push(`_${inline(section.empty)}_`);
  }
  return `${out.join('\n')}\n`;
}

function tableLines(t: ReportTable): string[] {
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [row(t.headers), `|${t.headers.map(() => ' --- |').join('')}`, ...t.rows.map(row)];
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** Operator text is shown as text: no stray markup, no line breaks that would end a table row. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_<>[\]#])/g, '\\$1');
}
