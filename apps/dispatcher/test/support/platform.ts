import { verifyInboxSignature } from '@inbox/signing';
import { startReceiver, type Receiver } from '@inbox/testing';
import { ApiClient } from './api-client.js';
import { API_MAIN, DISPATCHER_MAIN, kill, runApps, type RunningProcess } from './process.js';
import { ingestWithChaos } from './stream.js';
import { waitFor } from './wait.js';
import { createTestWorld, type TestWorld } from './world.js';

/** Both built apps as processes on a test world, an account and one webhook to a local receiver. */
export interface Platform {
  world: TestWorld;
  receiver: Receiver;
  api: RunningProcess;
  dispatcher: RunningProcess;
  client: ApiClient;
  accountId: string;
  /** The webhook's signing secret. */
  secret: string;
  close(): Promise<void>;
}

/** Starts the platform on `createTestWorld(label, overrides)`: e.g. another Redis through its variables. */
export async function startPlatform(label: string, overrides: Record<string, string>): Promise<Platform> {
  const world = await createTestWorld(label, overrides);
  const receiver = await startReceiver(() => 200);
  let api: RunningProcess, dispatcher: RunningProcess;
  try {
    [api, dispatcher] = (await runApps([API_MAIN, DISPATCHER_MAIN], world.env)) as [RunningProcess, RunningProcess];
  } catch (error) {
    await Promise.all([receiver.close(), world.close()]);
    throw error;
  }
  const client = new ApiClient(api.url, world.env.INBOX_INTERNAL_TOKEN!);
  const account = await client.createAccount(`${label} Inc`);
  const { secret } = await client.createWebhook(account.api_key, `${receiver.url}/${label}`);
  return {
    world,
    receiver,
    api,
    dispatcher,
    client,
    accountId: account.id,
    secret,
    async close() {
      await kill(dispatcher);
      await kill(api);
      await receiver.close();
      await world.close();
    },
  };
}

/** Ingests one event through the API and checks it arrives signed with the webhook's secret. */
export async function expectSignedDelivery(platform: Platform): Promise<void> {
  const [eventId] = await ingestWithChaos(platform.client, platform.accountId, 1, 0, async () => {});
  const request = await waitFor('the event to arrive', () => platform.receiver.requests.find((r) => r.headers['x-inbox-event-id'] === eventId));
  expect(verifyInboxSignature(request.body, request.headers['x-inbox-signature'] as string, platform.secret)).toBe(true);
}
