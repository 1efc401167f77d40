import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AuthenticationError } from '@inbox/sdk/web';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { keys, useSession } from '../../api/queries';
import { signIn } from '../../api/session';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { Logo } from '../../components/Layout';
import { errorMessage, Loading, Notice } from '../../components/States';
import styles from './SignInPage.module.css';

/** Where to go after signing in: back where the visitor was sent from, else the webhooks. */
function destination(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/sign-in') ? from : '/webhooks';
}

export function SignInPage() {
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [apiKey, setApiKey] = useState('');
  const attempt = useMutation({
    mutationFn: signIn,
    onSuccess: (signedIn) => {
      setApiKey('');
      client.setQueryData(keys.session, signedIn);
      void navigate(destination(location.state), { replace: true });
    },
  });

  if (session.isPending) return <Loading />;
  if (session.data) return <Navigate to={destination(location.state)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    attempt.mutate(apiKey.trim());
  };
  const failure = attempt.error instanceof AuthenticationError ? 'That API key is not valid. Check it and try again.' : attempt.error && errorMessage(attempt.error);

  return (
    <main className={styles.page}>
      <div className={styles.panel}>
        <Logo />
        <h1 className={styles.title}>Sign in to your dashboard</h1>
        <p className={styles.lead}>See every webhook delivery, debug failing endpoints and send events again.</p>
        <form className={styles.form} onSubmit={submit} noValidate>
          <TextField
            label="API key"
            name="api_key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="inbox_sk_…"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            hint="Sent once to open a session; this browser keeps only an httpOnly session cookie, never the key."
            required
          />
          {failure && <Notice tone="error">{failure}</Notice>}
          <Button type="submit" variant="primary" busy={attempt.isPending} disabled={apiKey.trim() === ''}>
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
