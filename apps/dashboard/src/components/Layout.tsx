import { useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { signOut } from '../api/session';
import { keys, useSession } from '../api/queries';
import { Button } from './Button';
import { ErrorState, Loading } from './States';
import styles from './Layout.module.css';

export function Logo() {
  return (
    <span className={styles.logo}>
      <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M8 11h16v10a2 2 0 0 1-2 2H10a2 2 0 0 1-2-2V11Zm0 0 8 6 8-6" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinejoin="round" />
      </svg>
      Inbox <span className={styles.logoMuted}>Webhooks</span>
    </span>
  );
}

/** Every signed-in page: the header (account, sign-out) and the page. Signed out: to the sign-in page. */
export function Layout() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const out = useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      client.clear();
      client.setQueryData(keys.session, null);
      void navigate('/sign-in', { replace: true });
    },
  });

  if (session.isPending) return <Loading label="Loading your account…" />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} title="Could not reach Inbox" />;
  if (session.data === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;

  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.headerInner}>
          <div className={styles.brand}>
            <Logo />
            <nav aria-label="Main">
              <NavLink to="/webhooks" className={({ isActive }) => (isActive ? `${styles.nav} ${styles.active}` : styles.nav)}>
                Webhooks
              </NavLink>
              <a href="/docs" className={styles.nav}>
                API reference
              </a>
            </nav>
          </div>
          <div className={styles.account}>
            <div className={styles.who}>
              <span className={styles.accountName}>{session.data.account.name}</span>
              <span className={styles.keyPrefix}>{session.data.key_prefix}…</span>
            </div>
            <Button size="sm" variant="secondary" onClick={() => out.mutate()} busy={out.isPending}>
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
