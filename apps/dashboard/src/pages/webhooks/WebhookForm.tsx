import { useState, type FormEvent } from 'react';
import type { EventType } from '@inbox/sdk/web';
import { useEventTypes } from '../../api/queries';
import { Button, ButtonLink } from '../../components/Button';
import { CheckboxGroup, TextAreaField, TextField } from '../../components/Field';
import { ErrorState, Loading, Notice } from '../../components/States';
import { formErrors, NO_ERRORS } from '../../lib/form-errors';
import styles from './WebhookForm.module.css';

export interface WebhookValues {
  url: string;
  description: string | null;
  events: EventType[];
  rate_limit: number | null;
}

const FIELDS = ['url', 'description', 'events', 'rate_limit'] as const;

/** Rate limit as typed: a whole number, or nothing; anything else goes to the API, which says what is wrong. */
function parseRateLimit(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

/**
 * The webhook form (new and edit): URL, description, event types from the catalog, rate limit.
 * The browser does not validate: the API does, and its errors appear under their fields.
 */
export function WebhookForm({
  initial,
  submitLabel,
  cancelTo,
  busy,
  error,
  onSubmit,
}: {
  initial: WebhookValues;
  submitLabel: string;
  cancelTo: string;
  busy: boolean;
  error: unknown;
  onSubmit: (values: WebhookValues) => void;
}) {
  const eventTypes = useEventTypes();
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description ?? '');
  const [events, setEvents] = useState<string[]>(initial.events);
  const [rateLimit, setRateLimit] = useState(initial.rate_limit === null ? '' : String(initial.rate_limit));
  const errors = error ? formErrors(error, FIELDS) : NO_ERRORS;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ url: url.trim(), description: description.trim() || null, events: events as EventType[], rate_limit: parseRateLimit(rateLimit) });
  };

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <TextField
        label="URL"
        name="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://yourapp.com/webhooks/inbox"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.fields.url}
        hint="Where Inbox POSTs each event. HTTPS, publicly reachable."
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        placeholder="Production webhook endpoint"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.fields.description}
        hint="Optional: what this endpoint is for."
      />
      {eventTypes.isPending ? (
        <Loading label="Loading event types…" />
      ) : eventTypes.isError ? (
        <ErrorState error={eventTypes.error} onRetry={() => void eventTypes.refetch()} title="Could not load the event types" />
      ) : (
        <CheckboxGroup
          legend="Events"
          options={eventTypes.data.map((t) => ({ value: t.type, description: t.description }))}
          selected={events}
          onChange={setEvents}
          error={errors.fields.events}
        />
      )}
      <TextField
        label="Rate limit"
        name="rate_limit"
        inputMode="numeric"
        placeholder="No limit"
        value={rateLimit}
        onChange={(e) => setRateLimit(e.target.value)}
        error={errors.fields.rate_limit}
        hint="Optional: at most this many deliveries per second to this endpoint."
        className={styles.narrow}
      />
      {errors.form && <Notice tone="error">{errors.form}</Notice>}
      <div className={styles.actions}>
        <ButtonLink to={cancelTo}>Cancel</ButtonLink>
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
