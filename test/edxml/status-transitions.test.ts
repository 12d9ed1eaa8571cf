/** Allowed status transitions (status-codes.md §3): tolerant of skips, warns on backward moves, errors on bad codes. */
import { describe, expect, it } from 'vitest';
import { checkStatusTransition, mayFollow } from '../../edxml/index';

type Expectation = 'ok' | `warning:${string}` | `error:${string}`;

function verdictOf(previous: string | undefined, next: string): Expectation {
  const verdict = checkStatusTransition(previous, next);
  return verdict.ok ? 'ok' : `${verdict.severity}:${verdict.code}`;
}

const TABLE: [previous: string | undefined, next: string, expected: Expectation][] = [
  [undefined, '01', 'ok'],
  [undefined, '03', 'ok'], // some systems never send 01
  [undefined, '13', 'warning:take_back_before_arrival'],
  ['01', '02', 'ok'],
  ['01', '03', 'ok'],
  ['03', '04', 'ok'],
  ['03', '05', 'ok'], // 04 skipped
  ['04', '06', 'ok'],
  ['05', '06', 'ok'],
  ['03', '03', 'ok'], // duplicates are idempotent
  ['06', '03', 'warning:status_backward'],
  ['05', '01', 'warning:status_backward'],
  ['03', '02', 'warning:rejected_after_accepted'],
  ['06', '02', 'warning:rejected_after_accepted'],
  ['02', '03', 'warning:status_after_terminal'],
  ['02', '13', 'warning:status_after_terminal'],
  ['01', '13', 'ok'],
  ['06', '13', 'ok'],
  ['13', '15', 'ok'],
  ['13', '16', 'ok'],
  ['05', '15', 'ok'], // answer to a revoke/update package
  ['15', '05', 'ok'],
  ['05', '09', 'ok'], // unassigned codes are never judged
  ['09', '03', 'ok'],
  ['03', '3', 'error:invalid_status_code'],
  ['03', '17', 'error:unknown_status_code'],
  ['03', '00', 'error:unknown_status_code'],
  ['x', '03', 'error:invalid_status_code'],
];

describe('checkStatusTransition', () => {
  for (const [previous, next, expected] of TABLE) {
    it(`${previous ?? '(sent)'} → ${next}: ${expected}`, () => {
      expect(verdictOf(previous, next)).toBe(expected);
      expect(mayFollow(previous, next)).toBe(!expected.startsWith('error'));
    });
  }

  it('explains a backward move in Vietnamese with both codes', () => {
    const verdict = checkStatusTransition('06', '03');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toContain('06 → 03');
  });
});
