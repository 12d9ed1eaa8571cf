import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Named timeout and retry presets for activities. Each says why its numbers are what they are; workflows pick
 * one instead of inventing their own.
 */

/**
 * Periodic housekeeping statements against our own PostgreSQL. One minute is far beyond a healthy run;
 * retries back off to two minutes so a database restart is ridden out, and give up after half an hour
 * because the next round (an hour later) does the same work anyway.
 */
export const PERIODIC_DATABASE_HOUSEKEEPING: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
  },
};
