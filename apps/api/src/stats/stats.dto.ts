import { z } from 'zod';

export const MAX_STATS_HOURS = 168;

export const statsQuerySchema = z.strictObject({
  hours: z
    .string()
    .regex(/^[0-9]{1,3}$/, { error: `hours must be a whole number from 1 to ${MAX_STATS_HOURS}` })
    .transform(Number)
    .pipe(z.number().min(1, { error: `hours must be from 1 to ${MAX_STATS_HOURS}` }).max(MAX_STATS_HOURS, { error: `hours must be from 1 to ${MAX_STATS_HOURS}` }))
    .optional()
    .meta({ description: `How many hours back, the current one included: 1–${MAX_STATS_HOURS} (default 24)`, example: '24' }),
});

export type StatsQuery = z.infer<typeof statsQuerySchema>;

const bucketSchema = z.object({
  start: z.string().meta({ description: "The hour's start", example: '2025-01-15T10:00:00.000Z' }),
  attempts: z.int().meta({ example: 120 }),
  succeeded: z.int().meta({ example: 117 }),
  avg_ms: z.int().nullable().meta({ description: 'Mean duration; null when the hour had no attempt', example: 182 }),
  p50_ms: z.int().nullable().meta({ description: 'Median duration', example: 151 }),
  p95_ms: z.int().nullable().meta({ description: '95th percentile of duration', example: 420 }),
});

export const webhookStatsSchema = z
  .object({
    since: z.string().meta({ description: 'Start of the first bucket', example: '2025-01-14T11:00:00.000Z' }),
    bucket_seconds: z.literal(3600),
    totals: z.object({ attempts: z.int().meta({ example: 2840 }), succeeded: z.int().meta({ example: 2791 }) }),
    buckets: z.array(bucketSchema).meta({ description: 'One per hour, oldest first, hours without attempts included (zero, nulls)' }),
  })
  .meta({ id: 'WebhookStats' });

export type WebhookStats = z.infer<typeof webhookStatsSchema>;
