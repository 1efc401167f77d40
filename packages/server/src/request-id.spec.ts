import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id.js';

const req = (id?: string | string[]) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it.each(['a', 'Req-1_2.3:4', 'x'.repeat(128)])('keeps a well-formed id (%s)', (id) => {
    expect(requestIdOf(req(id))).toBe(id);
  });

  it.each([[''], ['x'.repeat(129)], ['a b'], ['é'], ['a\tb'], [['a', 'b']]])('replaces a malformed one (%j) with a UUID', (id) => {
    expect(requestIdOf(req(id))).toMatch(UUID);
  });

  it('generates one when none was sent, the same one every time it is asked for that request', () => {
    const r = req();
    expect(requestIdOf(r)).toMatch(UUID);
    expect(requestIdOf(r)).toBe(requestIdOf(r));
    expect(requestIdOf(req())).not.toBe(requestIdOf(r));
  });
});
