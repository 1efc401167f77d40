import { EVENT_TYPES, isEventType, type EventType } from '@inbox/sdk';
import { InvalidArgumentError } from 'commander';
import { usageError } from './errors.js';

/** `wh_…`, else a usage error (exit 2) that says where ids come from. */
export function webhookId(value: string): string {
  if (!/^wh_[A-Za-z0-9]+$/.test(value))
    throw usageError(`"${value}" is not a webhook id: they look like wh_2Zx….`, 'List yours with `inbox webhooks list`.');
  return value;
}

/** `evt_…`, else a usage error (exit 2). */
export function eventId(value: string): string {
  if (!/^evt_[A-Za-z0-9]+$/.test(value))
    throw usageError(`"${value}" is not an event id: they look like evt_2Zx….`, 'Event ids are in `inbox logs <wh_…>` and in each delivery (X-Inbox-Event-Id).');
  return value;
}

/** A known event type, else a usage error naming the known ones. */
export function eventType(value: string): EventType {
  if (!isEventType(value))
    throw usageError(`Unknown event type "${value}".`, `Known types: ${EVENT_TYPES.join(', ')} (\`inbox event-types\` describes them).`);
  return value;
}

/** `--events a,b` (or repeated): known types, no duplicates; `all` for every type. */
export function eventTypeList(value: string, previous: EventType[] = []): EventType[] {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const types = parts.flatMap((part) => (part === 'all' ? [...EVENT_TYPES] : [part]));
  for (const type of types)
    if (!isEventType(type)) throw new InvalidArgumentError(`unknown event type "${type}"; known types: ${EVENT_TYPES.join(', ')}, or all.`);
  return [...new Set([...previous, ...(types as EventType[])])];
}

/** A commander argument parser for a whole number in [min, max]. */
export function intInRange(min: number, max: number) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return Number(value);
  };
}

/** An absolute http(s) URL, else a commander argument error. */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL; use an absolute URL such as https://example.com/webhooks.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError(`"${value}" must be an http:// or https:// URL.`);
  return value;
}
