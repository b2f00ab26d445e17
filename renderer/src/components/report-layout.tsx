import type { QueryOutput } from '../../../main/core/api';

type Layout = QueryOutput<'handover.build'>['layout'];

/** The shift report as the engine laid it out: the same sections, tables and lines as its Markdown and PDF. */
export function ReportLayoutView({ layout }: { layout: Layout }) {
  return (
    <article className="report" aria-label="shift report preview">
      <h2>{layout.title}</h2>
      <ul className="report-facts">
        {layout.facts.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      {layout.sections.map((section) => (
        <section key={section.title} className="report-section" data-section={section.title}>
          <h3>{section.title}</h3>
          {section.table && (
            <table>
              <thead>
                <tr>
                  {section.table.headers.map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {section.table.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => (
                      <td key={j} className={section.table!.headers[j] === 'Severity' ? `sev-${cell.toLowerCase()}` : undefined}>
                        {cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {section.lines.length > 0 && (
            <ul>
              {section.lines.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          )}
          {!section.table && section.lines.length === 0 && <p className="muted">{section.empty}</p>}
        </section>
      ))}
    </article>
  );
}
