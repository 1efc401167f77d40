import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import styles from './Field.module.css';

interface FieldFrame {
  label: string;
  hint?: ReactNode;
  /** The API's message for this field, shown under it and tied to it (aria-describedby). */
  error?: string | undefined;
}

/** Label, control, hint and error, wired together; `render` gets the control's accessibility props. */
function Frame({ label, hint, error, render }: FieldFrame & { render: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {render({ id, ...(error && { 'aria-invalid': true }), ...(describedBy && { 'aria-describedby': describedBy }) })}
      {error && (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, hint, error, className, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  return <Frame label={label} hint={hint} error={error} render={(a11y) => <input className={`${styles.control} ${className ?? ''}`} {...input} {...a11y} />} />;
}

export function TextAreaField({ label, hint, error, ...textarea }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Frame label={label} hint={hint} error={error} render={(a11y) => <textarea className={`${styles.control} ${styles.textarea}`} {...textarea} {...a11y} />} />;
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({ label, hint, error, options, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly Option[] }) {
  return (
    <Frame
      label={label}
      hint={hint}
      error={error}
      render={(a11y) => (
        <select className={`${styles.control} ${styles.select}`} {...select} {...a11y}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A set of checkboxes under one legend, each labelled by its value (and a description beside it). */
export function CheckboxGroup({
  legend,
  options,
  selected,
  onChange,
  error,
}: {
  legend: string;
  options: ReadonlyArray<{ value: string; description?: string | null }>;
  selected: readonly string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const toggle = (value: string, on: boolean) => onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset className={styles.fieldset} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend className={styles.label}>{legend}</legend>
      <div className={styles.checkboxes}>
        {options.map((o, i) => (
          <div key={o.value} className={styles.checkbox}>
            <input
              type="checkbox"
              id={`${id}-${i}`}
              checked={selected.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
              aria-describedby={o.description ? `${id}-${i}-description` : undefined}
            />
            <span>
              <label htmlFor={`${id}-${i}`} className={styles.checkboxLabel}>
                {o.value}
              </label>
              {o.description && (
                <span id={`${id}-${i}-description`} className={styles.hint}>
                  {o.description}
                </span>
              )}
            </span>
          </div>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className={styles.error}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
