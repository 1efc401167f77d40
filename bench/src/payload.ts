import { randomBytes } from 'node:crypto';
import type { EventData } from '@inbox/events';

/** The serialized events the bench sends weigh about this much, like a typical message.action. */
export const TARGET_BODY_BYTES = 1024;

/** Healthy-path events are `message.action`; the isolation phase's hanging webhook takes `message.failed`. */
export const BENCH_EVENT_TYPE = 'message.action';
export const HANGING_EVENT_TYPE = 'message.failed';

const FILLER = randomBytes(TARGET_BODY_BYTES).toString('base64url');

/** A valid `message.action` data object whose serialized event is about 1 KB (`custom_data` pads it). */
export function actionData(seq: number): EventData<'message.action'> {
  const base = {
    message_id: `msg_bench${seq}`,
    to: '+15551234567',
    action: 'confirm',
    clicked_at: new Date().toISOString(),
  };
  // id, type, created_at and the envelope take ~120 bytes; the rest goes into custom_data.
  const used = JSON.stringify(base).length + 200;
  return {
    ...base,
    action_data: { button_id: 'btn_confirm', custom_data: { order_id: `A-${seq}`, note: FILLER.slice(0, Math.max(0, TARGET_BODY_BYTES - used)) } },
  };
}

/** A valid `message.failed` data object of about the same size. */
export function failedData(seq: number): EventData<'message.failed'> {
  const base = { message_id: `msg_bench${seq}`, to: '+15551234567', error_code: 'recipient_unreachable', failed_at: new Date().toISOString() };
  return { ...base, error_message: FILLER.slice(0, Math.max(0, TARGET_BODY_BYTES - JSON.stringify(base).length - 160)) };
}

/** The bytes a delivery of this event carries: the stored envelope, as the dispatcher sends it. */
export function envelopeBody(id: string, seq: number): string {
  return JSON.stringify({ id, type: BENCH_EVENT_TYPE, created_at: new Date().toISOString(), data: actionData(seq) });
}
