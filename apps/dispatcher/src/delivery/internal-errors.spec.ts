import { DelayedError } from 'bullmq';
import { SecretUnreadableError } from '@inbox/db';
import { OverloadedError } from '@inbox/server';
import { internalErrorsOf, isInternalError } from './internal-errors.js';
import { RetryLater } from './retry-later.js';

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isInternalError', () => {
  it.each([
    ['a secret no configured key opens', true, new SecretUnreadableError('sealed under key 0123456789ab')],
    ['a bug', true, new TypeError("Cannot read properties of undefined (reading 'body')")],
    ['a query that is wrong (no retry cures it)', true, errno('42703', 'column "nope" does not exist')],
    ['a deferral', false, new DelayedError()],
    ['a scheduled retry after a recorded attempt', false, new RetryLater(1000, 'attempt 1 failed')],
    ['Postgres down', false, errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['Postgres shutting down', false, errno('57P01', 'terminating connection due to administrator command')],
    ['the line to Postgres full', false, new OverloadedError(5000)],
    ['a Redis connection closed', false, new Error('Connection is closed.')],
    ['a job lock another worker took', false, new Error('Missing lock for job dlv_1. moveToDelayed')],
  ])('%s → internal: %s', (_what, internal, error) => {
    expect(isInternalError(error)).toBe(internal);
  });
});

describe('internalErrorsOf', () => {
  it('reads the count from job data, and anything else as none', () => {
    expect(internalErrorsOf({ deliveryId: 'dlv_1', internalErrors: 2 })).toBe(2);
    expect(internalErrorsOf({ deliveryId: 'dlv_1' })).toBe(0);
    expect(internalErrorsOf({ deliveryId: 'dlv_1', internalErrors: -1 })).toBe(0);
    expect(internalErrorsOf(JSON.parse('{"deliveryId":"dlv_1","internalErrors":"9"}'))).toBe(0);
  });
});
