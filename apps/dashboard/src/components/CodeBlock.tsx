import styles from './CodeBlock.module.css';

/** Preformatted text (a body, a response excerpt), scrolling within its box; labelled for screen readers. */
export function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    <pre className={styles.code} aria-label={label} tabIndex={0}>
      <code>{children}</code>
    </pre>
  );
}

/** JSON text pretty-printed; anything else as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
