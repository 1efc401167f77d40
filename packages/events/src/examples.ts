import type { EventOfType, EventType } from './schemas.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * One example per event type: the four payloads of the public docs page, value for value (same
 * keys, same order), then `webhook.disabled`'s. Deeply frozen: copy before changing
 * (`structuredClone(exampleEvents[type])`).
 */
export const exampleEvents: { readonly [T in EventType]: EventOfType<T> } = deepFreeze({
  'message.delivered': {
    id: 'evt_1234567890',
    type: 'message.delivered',
    created_at: '2025-01-15T10:25:03Z',
    data: {
      message_id: 'msg_1234567890',
      to: '+15551234567',
      delivered_at: '2025-01-15T10:25:03Z',
      device_id: 'dev_abcdef123456',
    },
  },
  'message.read': {
    id: 'evt_1234567891',
    type: 'message.read',
    created_at: '2025-01-15T10:25:15Z',
    data: {
      message_id: 'msg_1234567890',
      to: '+15551234567',
      read_at: '2025-01-15T10:25:15Z',
      device_id: 'dev_abcdef123456',
    },
  },
  'message.failed': {
    id: 'evt_1234567892',
    type: 'message.failed',
    created_at: '2025-01-15T10:30:00Z',
    data: {
      message_id: 'msg_1234567890',
      to: '+15551234567',
      error_code: 'recipient_unreachable',
      error_message: 'Recipient has not installed the Inbox app',
      failed_at: '2025-01-15T10:30:00Z',
    },
  },
  'message.action': {
    id: 'evt_1234567893',
    type: 'message.action',
    created_at: '2025-01-15T10:26:00Z',
    data: {
      message_id: 'msg_1234567890',
      to: '+15551234567',
      action: 'confirm',
      action_data: {
        button_id: 'btn_confirm',
        custom_data: { order_id: 'A-123' },
      },
      clicked_at: '2025-01-15T10:26:00Z',
    },
  },
  'webhook.disabled': {
    id: 'evt_1234567894',
    type: 'webhook.disabled',
    created_at: '2025-01-20T10:30:00Z',
    data: {
      webhook_id: 'wh_1234567890',
      url: 'https://yourapp.com/webhooks/inbox',
      reason: 'failing',
      disabled_at: '2025-01-20T10:30:00Z',
    },
  },
});
