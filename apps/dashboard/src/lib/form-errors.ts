import { InboxApiError } from '@inbox/sdk/web';

export interface FormErrors {
  /** Per field, by the first segment of the API's path (`events.0` → `events`). */
  fields: Record<string, string>;
  /** What belongs to no field of the form: shown above its buttons. */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/**
 * Spreads an API error over a form: each `details` entry on the field it names (the first message
 * per field, in the API's words), the rest, or an error without details, as the form's own message.
 */
export function formErrors(error: unknown, fieldNames: readonly string[]): FormErrors {
  if (!(error instanceof InboxApiError)) return { fields: {}, form: error instanceof Error ? error.message : 'Something went wrong. Try again.' };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of error.details ?? []) {
    const field = detail.path.split('.')[0] ?? '';
    if (fieldNames.includes(field)) fields[field] ??= detail.message;
    else unplaced.push(detail.message);
  }
  const placed = Object.keys(fields).length > 0;
  const form = unplaced.length > 0 ? unplaced.join('; ') : placed ? null : error.message;
  return { fields, form };
}
