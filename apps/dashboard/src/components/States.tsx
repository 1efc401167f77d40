import type { ReactNode } from 'react';
import { AuthenticationError, InboxConnectionError, RateLimitError } from '@inbox/sdk/web';
import { Button } from './Button';
import styles from './States.module.css';

/** Loading: a spinner and words, announced politely. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className={styles.state} role="status">
      <span className={styles.spinner} aria-hidden="true" />
      <span className={styles.muted}>{label}</span>
    </div>
  );
}

/** Nothing here yet: what it is, and what to do about it. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={`${styles.state} ${styles.empty}`}>
      <p className={styles.title}>{title}</p>
      {children && <p className={styles.muted}>{children}</p>}
      {action}
    </div>
  );
}

/** What went wrong, in words a person can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof RateLimitError) return `Too many requests: try again in ${error.retryAfterSeconds ?? 60} s.`;
  if (error instanceof AuthenticationError) return 'Your session has ended. Sign in again.';
  if (error instanceof InboxConnectionError) return 'Could not reach Inbox. Check your connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** A failed load: the message (as an alert) and a way to try again. */
export function ErrorState({ error, onRetry, title = 'Could not load this' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className={`${styles.state} ${styles.error}`} role="alert">
      <p className={styles.title}>{title}</p>
      <p className={styles.muted}>{errorMessage(error)}</p>
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** A short message inside a form or card: an alert for errors, a status for successes. */
export function Notice({ tone, children }: { tone: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div className={`${styles.notice} ${styles[tone]}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
