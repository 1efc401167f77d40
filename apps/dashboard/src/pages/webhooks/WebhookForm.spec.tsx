import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ValidationError } from '@inbox/sdk/web';
import { MemoryRouter } from 'react-router';
import { keys } from '../../api/queries';
import { WebhookForm, type WebhookValues } from './WebhookForm';

function renderForm(props: { error?: unknown; onSubmit?: (values: WebhookValues) => void }) {
  const client = new QueryClient();
  client.setQueryData(keys.eventTypes, [
    { type: 'message.delivered', description: 'Delivered to the device.' },
    { type: 'message.read', description: 'Opened and read.' },
  ]);
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <WebhookForm
          initial={{ url: '', description: null, events: [], rate_limit: null }}
          submitLabel="Create"
          cancelTo="/webhooks"
          busy={false}
          error={props.error ?? null}
          onSubmit={props.onSubmit ?? (() => {})}
        />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('<WebhookForm>', () => {
  it('submits what was typed and ticked, one checkbox per event type labelled by the type', async () => {
    const user = userEvent.setup();
    const submitted: WebhookValues[] = [];
    renderForm({ onSubmit: (v) => submitted.push(v) });
    await user.type(screen.getByLabelText('URL'), ' https://example.com/hook ');
    await user.type(screen.getByLabelText('Description'), 'Orders');
    await user.click(screen.getByRole('checkbox', { name: 'message.read' }));
    await user.type(screen.getByLabelText('Rate limit'), '25');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(submitted).toEqual([{ url: 'https://example.com/hook', description: 'Orders', events: ['message.read'], rate_limit: 25 }]);
  });

  it("shows the API's field errors next to their fields, and the rest above the buttons", () => {
    const error = new ValidationError({
      status: 422,
      code: 'validation_failed',
      message: 'The request body is invalid',
      details: [
        { path: 'url', message: 'url must be an https URL' },
        { path: 'events', message: 'events must name at least one event type' },
        { path: '', message: 'the body is odd' },
      ],
    });
    renderForm({ error });
    const url = screen.getByLabelText('URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('url must be an https URL').id).toBe(url.getAttribute('aria-describedby')?.split(' ')[0]);
    expect(screen.getByRole('group', { name: 'Events' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('events must name at least one event type')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('the body is odd');
    expect(screen.getByLabelText('Description').getAttribute('aria-invalid')).toBeNull();
  });
});
