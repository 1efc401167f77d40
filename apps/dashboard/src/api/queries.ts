import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import { NotFoundError } from '@inbox/sdk/web';
import type { LogFilters } from '../lib/log-filters';
import { logsQuery } from '../lib/log-filters';
import { inbox } from './client';
import { fetchSession } from './session';

/** Every cache key in one place, so a change knows what to refresh. */
export const keys = {
  session: ['session'] as const,
  eventTypes: ['event-types'] as const,
  webhooks: ['webhooks'] as const,
  webhookList: (cursor: string | undefined) => ['webhooks', 'list', cursor ?? null] as const,
  webhook: (id: string) => ['webhooks', id] as const,
  logs: (id: string, filters: LogFilters, cursor: string | undefined) => ['webhooks', id, 'logs', filters, cursor ?? null] as const,
  lastDelivery: (id: string) => ['webhooks', id, 'last-delivery'] as const,
  stats: (id: string) => ['webhooks', id, 'stats'] as const,
  secret: (id: string) => ['webhooks', id, 'secret'] as const,
  event: (id: string) => ['events', id] as const,
};

/** How often an open delivery log, and the charts, refresh themselves. */
export const LOG_REFRESH_MS = 5_000;
const STATS_REFRESH_MS = 60_000;
export const PAGE_SIZE = 25;

export const useSession = () => useQuery({ queryKey: keys.session, queryFn: fetchSession, staleTime: 60_000, retry: false });

export interface EventTypeOption {
  type: string;
  description: string | null;
}

/** The docs' four message events: what an API without the catalog route offers. */
const DOCS_EVENT_TYPES = ['message.delivered', 'message.read', 'message.failed', 'message.action'];

/** The event catalog (`GET /v1/event-types`); on an API without it, the docs' four types. */
export const useEventTypes = () =>
  useQuery({
    queryKey: keys.eventTypes,
    staleTime: Infinity,
    queryFn: async (): Promise<EventTypeOption[]> => {
      try {
        const { data } = await inbox.eventTypes.list();
        return data.map(({ type, description }) => ({ type, description }));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        return DOCS_EVENT_TYPES.map((type) => ({ type, description: null }));
      }
    },
  });

export const useWebhookList = (cursor: string | undefined) =>
  useQuery({ queryKey: keys.webhookList(cursor), queryFn: () => inbox.webhooks.list({ limit: PAGE_SIZE, cursor }).page(), placeholderData: keepPreviousData });

export const useWebhook = (id: string) => useQuery({ queryKey: keys.webhook(id), queryFn: () => inbox.webhooks.get(id) });

/** The newest attempt to a webhook (for the list's "last delivery"). */
export const useLastDelivery = (id: string) =>
  useQuery({ queryKey: keys.lastDelivery(id), staleTime: 30_000, queryFn: async () => (await inbox.webhooks.logs(id, { limit: 1 }).page()).data[0] ?? null });

/** One page of the delivery log; refreshes itself while the page is open (and visible). */
export const useLogs = (id: string, filters: LogFilters, cursor: string | undefined) =>
  useQuery({
    queryKey: keys.logs(id, filters, cursor),
    queryFn: () => inbox.webhooks.logs(id, { ...logsQuery(filters, Date.now()), limit: PAGE_SIZE, cursor }).page(),
    refetchInterval: LOG_REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useStats = (id: string) => useQuery({ queryKey: keys.stats(id), queryFn: () => inbox.webhooks.stats(id), refetchInterval: STATS_REFRESH_MS });

/** The signing secret: fetched only when asked for (Reveal), never kept after the page is left. */
export const useSecret = (id: string, enabled: boolean) =>
  useQuery({ queryKey: keys.secret(id), queryFn: () => inbox.webhooks.secret(id), enabled, gcTime: 0, staleTime: Infinity });

export const useEvent = (id: string) => useQuery({ queryKey: keys.event(id), queryFn: () => inbox.events.get(id), refetchInterval: LOG_REFRESH_MS });

/** After a change to a webhook: it, the list, and its log and stats. */
export const refreshWebhook = (client: QueryClient, id: string) => client.invalidateQueries({ queryKey: keys.webhook(id) }).then(() => client.invalidateQueries({ queryKey: ['webhooks', 'list'] }));
