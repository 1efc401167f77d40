// Just the verification, for any Web-standard server: Bun.serve, Deno.serve, a Worker's fetch().
import { constructEventFromRequest, WebhookVerificationError } from '@inbox/sdk/web';

export async function fetchHandler(request: Request): Promise<Response> {
  try {
    const event = await constructEventFromRequest(request, process.env.INBOX_WEBHOOK_SECRET!);
    if (event.type === 'message.failed')
      console.log(`message ${event.data.message_id} failed: ${event.data.error_message}`);
    return new Response('OK');
  } catch (error) {
    if (error instanceof WebhookVerificationError) return new Response(error.code, { status: 401 });
    throw error;
  }
}
