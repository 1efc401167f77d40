import { useId, type ReactNode } from 'react';
import styles from './Card.module.css';

/** A titled section of a page. `flush` lets a table run to the card's edges. */
export function Card({ title, description, actions, children, flush = false, id }: { title?: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; flush?: boolean; id?: string }) {
  const headingId = useId();
  return (
    <section className={styles.card} aria-labelledby={title ? headingId : undefined} id={id}>
      {(title || actions) && (
        <header className={styles.header}>
          <div className={styles.titles}>
            {title && <h2 id={headingId}>{title}</h2>}
            {description && <p className={styles.description}>{description}</p>}
          </div>
          {actions && <div className={styles.actions}>{actions}</div>}
        </header>
      )}
      <div className={flush ? styles.flush : styles.body}>{children}</div>
    </section>
  );
}

/** A small heading inside a card (above a secret, a body, an error). */
export function Subheading({ children }: { children: ReactNode }) {
  return <h3 className={styles.subheading}>{children}</h3>;
}

/** A definition list of a record's fields, two columns on wide screens. */
export function Details({ items }: { items: ReadonlyArray<{ term: string; value: ReactNode }> }) {
  return (
    <dl className={styles.details}>
      {items.map((item) => (
        <div key={item.term} className={styles.detail}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
