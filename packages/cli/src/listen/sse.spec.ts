import { SseParser } from './sse.js';

describe('SseParser', () => {
  it('parses named events, joins multi-line data, skips comments and events without data', () => {
    const parser = new SseParser();
    expect(parser.push(': ping\n\nevent: session\ndata: {"a":1}\n\ndata: one\ndata:two\n\nevent: empty\n\n')).toEqual([
      { event: 'session', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('takes events split anywhere across chunks, with CRLF, CR or LF line ends', () => {
    const parser = new SseParser();
    const text = 'event: delivery\r\ndata: {"x":"y"}\r\n\r\nevent: delivery\rdata: 2\r\revent: d\ndata: 3\n\n';
    const events = [...text].flatMap((ch) => parser.push(ch));
    expect(events).toEqual([
      { event: 'delivery', data: '{"x":"y"}' },
      { event: 'delivery', data: '2' },
      { event: 'd', data: '3' },
    ]);
  });
});
