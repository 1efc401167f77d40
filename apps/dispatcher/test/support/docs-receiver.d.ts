export interface DocsReceiver {
  /** The docs' endpoint, `/webhooks/inbox`. */
  url: string;
  /** What the docs' handler did with each verified event (`console.log` of unhandled types included). */
  handled: Array<{ type: string; data?: unknown }>;
  /** Every request as it arrived: headers and raw body bytes. */
  requests: Array<{ headers: import('node:http').IncomingHttpHeaders; body: Buffer }>;
  close(): Promise<void>;
}

export function startDocsReceiver(secret: string): Promise<DocsReceiver>;
