import { Navigate, type RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { EventPage } from './pages/event/EventPage';
import { NotFoundPage } from './pages/not-found/NotFoundPage';
import { SignInPage } from './pages/sign-in/SignInPage';
import { WebhookPage } from './pages/webhook/WebhookPage';
import { EditWebhookPage } from './pages/webhooks/EditWebhookPage';
import { NewWebhookPage } from './pages/webhooks/NewWebhookPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';

/** Under /dashboard (the router's basename). */
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/webhooks" replace /> },
      { path: '/webhooks', element: <WebhooksPage /> },
      { path: '/webhooks/new', element: <NewWebhookPage /> },
      { path: '/webhooks/:webhookId', element: <WebhookPage /> },
      { path: '/webhooks/:webhookId/edit', element: <EditWebhookPage /> },
      { path: '/webhooks/:webhookId/events/:eventId', element: <EventPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
