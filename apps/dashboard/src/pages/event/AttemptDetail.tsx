import type { SentAttempt } from '@inbox/sdk/web';
import { Badge } from '../../components/Badge';
import { Card, Details, Subheading } from '../../components/Card';
import { CodeBlock, prettyJson } from '../../components/CodeBlock';
import { attemptOutcome, errorText } from '../../lib/outcome';
import { formatDateTime, formatDuration } from '../../lib/time';
import styles from './EventPage.module.css';

function Headers({ headers }: { headers: Record<string, string | null> }) {
  return (
    <table className={styles.headers}>
      <caption className="visually-hidden">Request headers</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(headers).map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{value ?? <span className={styles.notStored}>signed at send time, not stored</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One attempt in full: the request as sent, and what came back. */
export function AttemptDetail({ attempt, body, url }: { attempt: SentAttempt; body: string; url: string | undefined }) {
  const outcome = attemptOutcome(attempt);
  return (
    <div className={styles.detail}>
      <Card title={`Request — attempt ${attempt.attempt}`} description={url ? `POST ${url}` : undefined}>
        {attempt.request_headers === null ? (
          <p className={styles.muted}>Nothing was sent: {errorText(attempt.error)?.toLowerCase()}.</p>
        ) : (
          <div className={styles.stack}>
            <Headers headers={attempt.request_headers} />
            <div>
              <Subheading>Body (sent as compact JSON, shown formatted)</Subheading>
              <CodeBlock label="Request body">{prettyJson(body)}</CodeBlock>
            </div>
          </div>
        )}
      </Card>
      <Card title="Response">
        <div className={styles.stack}>
          <Details
            items={[
              { term: 'Outcome', value: <Badge tone={outcome.tone}>{outcome.label}</Badge> },
              { term: 'Status code', value: attempt.status_code ?? 'No response' },
              { term: 'Duration', value: formatDuration(attempt.duration_ms) },
              { term: 'Sent', value: formatDateTime(attempt.requested_at) },
            ]}
          />
          {attempt.error && (
            <div>
              <Subheading>Error</Subheading>
              <p>
                <strong>{errorText(attempt.error)}</strong>
                {attempt.error_message && <span className={styles.muted}> — {attempt.error_message}</span>}
              </p>
            </div>
          )}
          <div>
            <Subheading>Response body (first 1 KiB)</Subheading>
            {attempt.response_body ? <CodeBlock label="Response body">{prettyJson(attempt.response_body)}</CodeBlock> : <p className={styles.muted}>Empty</p>}
          </div>
        </div>
      </Card>
    </div>
  );
}
