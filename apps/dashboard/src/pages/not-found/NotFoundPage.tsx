import { ButtonLink } from '../../components/Button';
import { EmptyState } from '../../components/States';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" action={<ButtonLink to="/webhooks">Go to webhooks</ButtonLink>}>
      There is nothing at this address. It may have been a webhook or event that was deleted.
    </EmptyState>
  );
}
