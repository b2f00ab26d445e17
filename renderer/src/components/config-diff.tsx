/**
 * Two config versions side by side, older on the left: line numbers, and each changed row marked by a sign and a
 * word for screen readers as well as by colour.
 */
import type { SideBySideDiff } from '../../../main/core/api';

const MARK: Record<SideBySideDiff['rows'][number]['kind'], [string, string]> = {
  same: [' ', 'unchanged'],
  changed: ['~', 'changed'],
  removed: ['−', 'removed'],
  added: ['+', 'added'],
};

export function ConfigDiff({ diff, leftTitle, rightTitle }: { diff: SideBySideDiff; leftTitle: string; rightTitle: string }) {
  return (
    <div className="config-diff" aria-label="side-by-side diff">
      <p className="diff-summary" role="status">
        {diff.identical ? 'The two versions are identical.' : `${diff.changed} changed, ${diff.removed} removed, ${diff.added} added line${diff.added === 1 ? '' : 's'}`}
      </p>
      <table className="diff-table">
        <colgroup>
          <col className="diff-num" />
          <col className="diff-mark" />
          <col />
          <col className="diff-num" />
          <col className="diff-mark" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={3} data-side="left">{leftTitle}</th>
            <th colSpan={3} data-side="right">{rightTitle}</th>
          </tr>
        </thead>
        <tbody>
          {diff.rows.map((row, i) => {
            const [sign, word] = MARK[row.kind];
            return (
              <tr key={i} className={`diff-row diff-${row.kind}`} data-kind={row.kind}>
                <td className="diff-num">{row.left?.line ?? ''}</td>
                <td className="diff-mark" aria-label={row.left ? word : undefined}>
                  {row.left && row.kind !== 'added' ? sign : ''}
                </td>
                <td className="diff-text diff-left">{row.left?.text ?? ''}</td>
                <td className="diff-num">{row.right?.line ?? ''}</td>
                <td className="diff-mark" aria-label={row.right ? word : undefined}>
                  {row.right && row.kind !== 'removed' ? sign : ''}
                </td>
                <td className="diff-text diff-right">{row.right?.text ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
