import type { ReactNode } from 'react';
import { Link } from 'react-router';
import styles from './PageHeader.module.css';

/** A page's title row: where it sits (a link back), what it is, and what can be done. */
export function PageHeader({ title, back, meta, actions }: { title: ReactNode; back?: { to: string; label: string }; meta?: ReactNode; actions?: ReactNode }) {
  return (
    <div className={styles.header}>
      {back && (
        <Link to={back.to} className={styles.back}>
          ← {back.label}
        </Link>
      )}
      <div className={styles.row}>
        <div className={styles.titles}>
          <h1 className={styles.title}>{title}</h1>
          {meta && <div className={styles.meta}>{meta}</div>}
        </div>
        {actions && <div className={styles.actions}>{actions}</div>}
      </div>
    </div>
  );
}
