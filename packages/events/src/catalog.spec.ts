import { EVENT_TYPES, eventCatalog, eventDescriptions, eventJsonSchema, exampleEvents, parseEvent } from './index.js';

describe('eventCatalog', () => {
  const catalog = eventCatalog();

  it('lists every type a webhook may subscribe to, in EVENT_TYPES order', () => {
    expect(catalog.map((entry) => entry.type)).toEqual([...EVENT_TYPES]);
    expect(catalog.map((entry) => entry.type)).toContain('webhook.disabled');
  });

  it.each(catalog.map((entry) => [entry.type, entry] as const))('%s: description, JSON Schema and an example that parses', (type, entry) => {
    expect(entry.description).toBe(eventDescriptions[type]);
    expect(entry.description.length).toBeGreaterThan(20);
    expect(entry.schema).toEqual(eventJsonSchema(type));
    expect(entry.example).toEqual(exampleEvents[type]);
    expect(parseEvent(entry.example)).toEqual(entry.example);
  });

  it("keeps the docs' sentences for the message events", () => {
    expect(eventDescriptions['message.delivered']).toBe("Triggered when a message is successfully delivered to the recipient's device.");
    expect(eventDescriptions['message.action']).toBe('Triggered when a recipient interacts with action buttons in a message.');
  });

  it('gives fresh, unfrozen copies', () => {
    const [first] = eventCatalog();
    (first!.example.data as { to: string }).to = '+15550000000';
    expect(eventCatalog()[0]!.example).toEqual(exampleEvents['message.delivered']);
  });
});
