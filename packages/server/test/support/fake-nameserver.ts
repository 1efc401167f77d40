import { createSocket } from 'node:dgram';
import ipaddr from 'ipaddr.js';

export type QueryType = 'A' | 'AAAA';

/** What the nameserver does with one question: answer it, say the name does not exist, or never reply. */
export type Answer = { addresses: string[]; ttl: number } | 'nxdomain' | 'drop';

export interface FakeNameserver {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  address: string;
  /** Every question received, in order. */
  queries: Array<{ name: string; type: QueryType }>;
  close(): Promise<void>;
}

const TYPE_CODES: Record<number, QueryType> = { 1: 'A', 28: 'AAAA' };
const CLASS_IN = 1;

/**
 * A UDP DNS server on 127.0.0.1 answering A and AAAA questions with `answer`'s reply, built by hand
 * (RFC 1035 §4.1: header, the question echoed, one resource record per address). `() => 'drop'`
 * is a dead nameserver: it reads every query and answers none.
 */
export async function startFakeNameserver(answer: (name: string, type: QueryType) => Answer): Promise<FakeNameserver> {
  const socket = createSocket('udp4');
  const queries: FakeNameserver['queries'] = [];
  socket.on('message', (query, peer) => {
    const question = parseQuestion(query);
    if (!question) return;
    queries.push({ name: question.name, type: question.type });
    const reply = answer(question.name, question.type);
    if (reply === 'drop') return;
    socket.send(buildResponse(query, question.end, question.type, reply), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The first question: its name, type, and where it ends (header is 12 bytes; labels end at a 0). */
function parseQuestion(query: Buffer): { name: string; type: QueryType; end: number } | undefined {
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += 1 + length;
  }
  const type = TYPE_CODES[query.readUInt16BE(offset + 1)];
  return type ? { name: labels.join('.').toLowerCase(), type, end: offset + 5 } : undefined;
}

function buildResponse(query: Buffer, questionEnd: number, type: QueryType, reply: Exclude<Answer, 'drop'>): Buffer {
  const addresses = reply === 'nxdomain' ? [] : reply.addresses;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // the query's id
  header.writeUInt16BE(reply === 'nxdomain' ? 0x8183 : 0x8180, 2); // response, recursion available; rcode 3 = NXDOMAIN
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((address) => {
    const data = Buffer.from(ipaddr.parse(address).toByteArray());
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    record.writeUInt16BE(type === 'A' ? 1 : 28, 2);
    record.writeUInt16BE(CLASS_IN, 4);
    record.writeUInt32BE(reply === 'nxdomain' ? 0 : reply.ttl, 6);
    record.writeUInt16BE(data.length, 10);
    return Buffer.concat([record, data]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...records]);
}
