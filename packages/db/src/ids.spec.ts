import { ID_PREFIX, idFloor, isId, newId, parseId } from './ids.js';

describe('newId', () => {
  it('carries the type prefix and sorts by creation time', () => {
    const a = newId('event', 1_700_000_000_000);
    const b = newId('event', 1_700_000_000_001);
    expect(a.startsWith(ID_PREFIX.event)).toBe(true);
    expect(a).toHaveLength(ID_PREFIX.event.length + 26);
    expect(a < b).toBe(true);
    expect(isId('event', a)).toBe(true);
    expect(isId('webhook', a)).toBe(false);
    expect(isId('event', "evt_1' OR 1=1")).toBe(false);
  });

  it('sorts in the order made within one millisecond (monotonic), per kind', () => {
    const ids = Array.from({ length: 1000 }, () => newId('attempt', 1_700_000_000_123));
    expect([...ids].sort()).toEqual(ids);
    // Another kind in between does not disturb the count, and a new millisecond sorts after.
    const a = newId('attempt', 1_700_000_000_123);
    newId('event', 1_700_000_000_123);
    const b = newId('attempt', 1_700_000_000_123);
    const c = newId('attempt', 1_700_000_000_124);
    expect(ids[999]! < a && a < b && b < c).toBe(true);
  });

  it('parses ids of one kind only', () => {
    expect(parseId('webhook', 'wh_01ABC')).toBe('wh_01ABC');
    expect(parseId('webhook', 'evt_01ABC')).toBeUndefined();
    expect(parseId('webhook', 'wh_')).toBeUndefined();
    expect(parseId('event', `evt_${'a'.repeat(251)}`)).toBe(`evt_${'a'.repeat(251)}`);
    expect(parseId('event', `evt_${'a'.repeat(252)}`)).toBeUndefined();
    expect(parseId('webhook', 42)).toBeUndefined();
  });

  it('never repeats, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newId('delivery', 1_700_000_000_000));
    expect(new Set(ids).size).toBe(5000);
    expect(new Set(ids.map((id) => id.slice(-16))).size).toBe(5000);
  });
});

describe('idFloor', () => {
  it('sorts after every id made before its time and at or before every id made from then on', () => {
    const at = Date.parse('2025-01-15T10:00:00Z');
    const floor = idFloor('attempt', at);
    expect(isId('attempt', floor)).toBe(true);
    for (const made of [at - 1, at - 3_600_000]) expect(newId('attempt', made) < floor).toBe(true);
    for (const made of [at, at + 1, at + 3_600_000]) expect(newId('attempt', made) >= floor).toBe(true);
  });
});
