import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { AuthenticationError, InboxApiError } from '@inbox/sdk/web';
import { keys } from './api/queries';

/**
 * The dashboard's cache. A 401 anywhere means the session ended (expired, signed out elsewhere, key
 * revoked): the session is forgotten, and the layout sends the visitor to sign in again.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => sessionEnded(error) }),
    mutationCache: new MutationCache({ onError: (error) => sessionEnded(error) }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // The SDK already retried what is worth retrying (5xx, timeouts); a 4xx will not change.
        retry: (failures, error) => !(error instanceof InboxApiError && error.status < 500) && failures < 1,
      },
    },
  });
  function sessionEnded(error: unknown) {
    if (error instanceof AuthenticationError && client.getQueryData(keys.session)) client.setQueryData(keys.session, null);
  }
  return client;
}
