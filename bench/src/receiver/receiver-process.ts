import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Arrival, ReceiverQuery, ReceiverReply, ReceiverRequest, ReceiverStats } from './protocol.js';

const SERVER_JS = fileURLToPath(new URL('./server.js', import.meta.url));

/** A receiver (see server.ts) running in a child process, queried over IPC. */
export class ReceiverProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (result: ReceiverReply['result']) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (reply: ReceiverReply) => {
      this.pending.get(reply.reqId)?.(reply.result);
      this.pending.delete(reply.reqId);
    });
  }

  static async start(mode: 'ok' | 'hang'): Promise<ReceiverProcess> {
    const child = fork(SERVER_JS, [mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`receiver (${mode}) exited with code ${code} before listening`)));
    });
    return new ReceiverProcess(child, port);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stats(): Promise<ReceiverStats> {
    return this.query({ op: 'stats' }) as Promise<ReceiverStats>;
  }

  /** Arrival times of the given event ids (ids not seen yet are absent). */
  async arrivals(ids: string[]): Promise<Map<string, Arrival>> {
    const out = new Map<string, Arrival>();
    // Chunked: one IPC message stays small even for a 20k-event phase.
    for (let i = 0; i < ids.length; i += 5000) {
      const found = (await this.query({ op: 'arrivals', ids: ids.slice(i, i + 5000) })) as Record<string, Arrival>;
      for (const [id, arrival] of Object.entries(found)) out.set(id, arrival);
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private query(request: ReceiverQuery): Promise<ReceiverReply['result']> {
    const reqId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, resolve);
      this.child.send({ ...request, reqId } satisfies ReceiverRequest, (error) => {
        if (error) {
          this.pending.delete(reqId);
          reject(error);
        }
      });
    });
  }
}
