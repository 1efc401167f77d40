import { Button } from './Button';
import styles from './Pagination.module.css';

/** Previous / next for a cursor-paginated list, with the page number between them. */
export function Pagination({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  label,
}: {
  /** 0-based. */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className={styles.pagination} aria-label={label}>
      <Button size="sm" onClick={onPrevious} disabled={!hasPrevious}>
        ← Previous
      </Button>
      <span className={styles.page} aria-live="polite">
        Page {page + 1}
      </span>
      <Button size="sm" onClick={onNext} disabled={!hasNext}>
        Next →
      </Button>
    </nav>
  );
}
