import { SelectField } from '../../components/Field';
import { Button } from '../../components/Button';
import { DEFAULT_FILTERS, hasActiveFilters, RANGE_OPTIONS, STATUS_OPTIONS, type LogFilters as Filters, type StatusFilter, type TimeRange } from '../../lib/log-filters';
import styles from './WebhookPage.module.css';

/** The delivery log's filters: status, event type, time range; and a way back to none. */
export function LogFilters({ filters, eventTypes, onChange }: { filters: Filters; eventTypes: readonly string[]; onChange: (next: Filters) => void }) {
  return (
    <div className={styles.filters} role="group" aria-label="Filter deliveries">
      <SelectField label="Status" value={filters.status} onChange={(e) => onChange({ ...filters, status: e.target.value as StatusFilter })} options={STATUS_OPTIONS} />
      <SelectField
        label="Event type"
        value={filters.eventType}
        onChange={(e) => onChange({ ...filters, eventType: e.target.value })}
        options={[{ value: 'all', label: 'All event types' }, ...eventTypes.map((t) => ({ value: t, label: t }))]}
      />
      <SelectField label="Time range" value={filters.range} onChange={(e) => onChange({ ...filters, range: e.target.value as TimeRange })} options={RANGE_OPTIONS} />
      {hasActiveFilters(filters) && (
        <Button variant="ghost" size="sm" onClick={() => onChange(DEFAULT_FILTERS)} className={styles.clear}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
