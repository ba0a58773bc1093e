import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backorderMachine, backorderStatuses, nextStatus, statusOf, waitingOf } from './domain.js';
import { defineMachine } from '../shared/fsm.js';

describe('backorder status', () => {
  it('follows from the quantities', () => {
    expect(statusOf({ quantity: 5, allocated: 0, fulfilled: 0, cancelled: 0 })).toBe('open');
    expect(statusOf({ quantity: 5, allocated: 2, fulfilled: 0, cancelled: 0 })).toBe('partially_allocated');
    expect(statusOf({ quantity: 5, allocated: 0, fulfilled: 2, cancelled: 0 })).toBe('partially_allocated');
    expect(statusOf({ quantity: 5, allocated: 5, fulfilled: 0, cancelled: 0 })).toBe('allocated');
    expect(statusOf({ quantity: 5, allocated: 0, fulfilled: 3, cancelled: 2 })).toBe('fulfilled');
    expect(statusOf({ quantity: 5, allocated: 0, fulfilled: 0, cancelled: 5 })).toBe('cancelled');
  });

  it('never leaves a final state', () => {
    expect(nextStatus('fulfilled', { quantity: 5, allocated: 1, fulfilled: 4, cancelled: 0 })).toBeNull();
    expect(nextStatus('cancelled', { quantity: 5, allocated: 1, fulfilled: 0, cancelled: 4 })).toBeNull();
    expect(nextStatus('open', { quantity: 5, allocated: 5, fulfilled: 0, cancelled: 0 })).toBe('allocated');
  });

  it('has a table naming only known states', () => {
    expect(Object.keys(backorderMachine).sort()).toEqual([...backorderStatuses].sort());
    expect(() => defineMachine('broken', { a: ['b'] } as never)).toThrow(/unknown state/);
  });

  it('reaches fulfilled or cancelled from any path that serves or cancels every unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.nat(), { maxLength: 20 }), (quantity, seeds) => {
        let q = { quantity, allocated: 0, fulfilled: 0, cancelled: 0 };
        let status = statusOf(q);
        for (const s of seeds) {
          const waiting = waitingOf(q);
          const step = s % 3;
          let next = q;
          if (step === 0 && waiting > 0) next = { ...q, allocated: q.allocated + 1 + (s % waiting) };
          else if (step === 1 && q.allocated > 0) next = { ...q, allocated: q.allocated - 1, fulfilled: q.fulfilled + 1 };
          else if (step === 2 && waiting > 0) next = { ...q, cancelled: q.cancelled + 1 };
          const to = nextStatus(status, next);
          expect(to).not.toBeNull();
          q = next;
          status = to!;
        }
        expect(status).toBe(statusOf(q));
      }),
    );
  });
});
