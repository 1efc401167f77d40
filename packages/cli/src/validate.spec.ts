import { InvalidArgumentError } from 'commander';
import { CliError } from './errors.js';
import { eventId, eventType, eventTypeList, httpUrl, intInRange, webhookId } from './validate.js';

describe('validation', () => {
  it('ids: wh_/evt_ prefixes, else a usage error (exit 2)', () => {
    expect(webhookId('wh_01ABC')).toBe('wh_01ABC');
    expect(eventId('evt_01ABC')).toBe('evt_01ABC');
    for (const bad of ['', 'wh_', 'evt_01', 'wh_01/../x']) expect(() => webhookId(bad)).toThrow(CliError);
    expect(() => eventId('wh_01')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('event types: known ones; lists split on commas, "all", no duplicates', () => {
    expect(eventType('message.read')).toBe('message.read');
    expect(() => eventType('message.nope')).toThrow(/Unknown event type "message.nope"/);
    expect(eventTypeList('message.read, message.failed', ['message.read'])).toEqual(['message.read', 'message.failed']);
    expect(eventTypeList('all')).toContain('webhook.disabled');
    expect(() => eventTypeList('message.read,nope')).toThrow(InvalidArgumentError);
  });

  it('numbers and URLs', () => {
    expect(intInRange(1, 250)('20')).toBe(20);
    for (const bad of ['0', '251', '1.5', 'x', '-1']) expect(() => intInRange(1, 250)(bad)).toThrow(InvalidArgumentError);
    expect(httpUrl('http://localhost:4000/x')).toBe('http://localhost:4000/x');
    expect(() => httpUrl('ftp://x')).toThrow(/http/);
    expect(() => httpUrl('nope')).toThrow(/not a URL/);
  });
});
