import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { WebhookPreviousSecret1764100000000 } from './1764100000000-webhook-previous-secret.js';
import { ResendDeliveries1764100001000 } from './1764100001000-resend-deliveries.js';
import { WebhookAutoDisable1764100002000 } from './1764100002000-webhook-auto-disable.js';
import { WebhookRateLimit1764100003000 } from './1764100003000-webhook-rate-limit.js';
import { DashboardSessions1764200000000 } from './1764200000000-dashboard-sessions.js';
import { RetentionIndexes1764300000000 } from './1764300000000-retention-indexes.js';
import { ListenSessions1764400000000 } from './1764400000000-listen-sessions.js';

/** Every migration, in order. Listed explicitly so bundlers and ESM need no glob loading. */
export const MIGRATIONS = [InitialSchema1764000000000, WebhookPreviousSecret1764100000000, ResendDeliveries1764100001000, WebhookAutoDisable1764100002000, WebhookRateLimit1764100003000, DashboardSessions1764200000000, RetentionIndexes1764300000000, ListenSessions1764400000000];
