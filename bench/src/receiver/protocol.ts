/** Messages between the harness and a receiver process (over the fork IPC channel). */

export interface Arrival {
  /** First and last arrival of this event id, wall-clock ms (sub-ms resolution). */
  first: number;
  last: number;
  /** Arrivals of this id: one per subscribed webhook, more if a delivery was retried. */
  count: number;
}

export interface ReceiverStats {
  /** Requests not answered yet (in hang mode: every request whose connection is still open). */
  open: number;
  /** The same per request path (hang mode's figure: which webhooks the dispatcher holds requests for). */
  openByPath: Record<string, number>;
  /** Distinct event ids seen per request path (each webhook of the bench has its own path). */
  paths: Record<string, number>;
}

export type ReceiverQuery = { op: 'stats' } | { op: 'arrivals'; ids: string[] };

export type ReceiverRequest = ReceiverQuery & { reqId: number };

export interface ReceiverReply {
  reqId: number;
  result: ReceiverStats | Record<string, Arrival>;
}
