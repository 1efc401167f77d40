import type { ReactNode } from 'react';
import styles from './Table.module.css';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  align?: 'left' | 'right';
  /** Ids, codes and numbers: monospaced. */
  mono?: boolean;
}

/**
 * A data table. `onRowClick` makes the whole row a mouse target; keyboard users get the same
 * through a link inside the row, so every row action stays reachable by Tab.
 */
export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  onRowClick,
  selectedKey,
}: {
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  selectedKey?: string;
}) {
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.align === 'right' ? styles.right : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr
                key={key}
                className={[onRowClick && styles.clickable, key === selectedKey && styles.selected].filter(Boolean).join(' ') || undefined}
                aria-current={key === selectedKey ? 'true' : undefined}
                onClick={
                  onRowClick &&
                  ((e) => {
                    // A click on a link or button inside the row does its own thing.
                    if ((e.target as HTMLElement).closest('a, button')) return;
                    onRowClick(row);
                  })
                }
              >
                {columns.map((c) => (
                  <td key={c.key} className={[c.align === 'right' && styles.right, c.mono && styles.mono].filter(Boolean).join(' ') || undefined}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
