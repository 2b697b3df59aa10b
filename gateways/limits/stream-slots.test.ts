import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StreamSlots, type StreamRefusal, type StreamSlot } from './stream-slots.ts';

const held = (s: StreamSlot | StreamRefusal): StreamSlot => {
  assert.equal(s.refused, false, JSON.stringify(s));
  return s as StreamSlot;
};
const refused = (s: StreamSlot | StreamRefusal): StreamRefusal => {
  assert.equal(s.refused, true);
  return s as StreamRefusal;
};

describe('StreamSlots', () => {
  test('a device gets at most perDevice slots, naming GUARDYN_LIMITS__STREAMS_PER_DEVICE beyond', () => {
    const slots = new StreamSlots({ perUser: 10, perDevice: 2 });
    held(slots.acquire('u', 'd1'));
    held(slots.acquire('u', 'd1'));
    assert.deepEqual(refused(slots.acquire('u', 'd1')), {
      refused: true,
      scope: 'device',
      limit: 2,
      variable: 'GUARDYN_LIMITS__STREAMS_PER_DEVICE',
    });
    held(slots.acquire('u', 'd2'));
    assert.equal(slots.open('u'), 3);
    assert.equal(slots.open('u', 'd1'), 2);
  });

  test('a user gets at most perUser slots over all its devices, naming GUARDYN_LIMITS__STREAMS_PER_USER beyond; other users are not affected', () => {
    const slots = new StreamSlots({ perUser: 3, perDevice: 2 });
    held(slots.acquire('u', 'd1'));
    held(slots.acquire('u', 'd2'));
    held(slots.acquire('u', 'd3'));
    assert.deepEqual(refused(slots.acquire('u', 'd4')), {
      refused: true,
      scope: 'user',
      limit: 3,
      variable: 'GUARDYN_LIMITS__STREAMS_PER_USER',
    });
    held(slots.acquire('v', 'd1'));
  });

  test('a released slot is free again; releasing twice frees one slot only', () => {
    const slots = new StreamSlots({ perUser: 2, perDevice: 2 });
    const a = held(slots.acquire('u', 'd'));
    held(slots.acquire('u', 'd'));
    refused(slots.acquire('u', 'd'));
    a.release();
    a.release();
    assert.equal(slots.open('u'), 1);
    held(slots.acquire('u', 'd'));
    refused(slots.acquire('u', 'd'));
  });

  test('0 turns a limit off', () => {
    const slots = new StreamSlots({ perUser: 0, perDevice: 0 });
    for (let i = 0; i < 1000; i++) held(slots.acquire('u', 'd'));
    assert.equal(slots.open('u', 'd'), 1000);
  });

  test('any sequence of opens and ends (fast-check): counts match what is held, limits are never exceeded, nothing leaks', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('open' as const),
        user: fc.integer({ min: 0, max: 2 }),
        device: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({ kind: fc.constant('end' as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(op, { maxLength: 80 }),
        (perUser, perDevice, ops) => {
          const slots = new StreamSlots({ perUser, perDevice });
          const open: { user: string; device: string; slot: StreamSlot }[] = [];
          for (const o of ops) {
            if (o.kind === 'open') {
              const user = `u${o.user}`;
              const device = `d${o.device}`;
              const r = slots.acquire(user, device);
              const userCount = open.filter((s) => s.user === user).length;
              const deviceCount = open.filter((s) => s.user === user && s.device === device).length;
              const shouldRefuse = (perDevice > 0 && deviceCount >= perDevice) || (perUser > 0 && userCount >= perUser);
              assert.equal(r.refused, shouldRefuse);
              if (!r.refused) open.push({ user, device, slot: r });
            } else if (open.length > 0) {
              const [gone] = open.splice(o.index % open.length, 1);
              gone!.slot.release();
              gone!.slot.release();
            }
            for (const u of ['u0', 'u1', 'u2']) {
              assert.equal(slots.open(u), open.filter((s) => s.user === u).length);
              if (perUser > 0) assert.ok(slots.open(u) <= perUser);
            }
          }
          for (const s of open) s.slot.release();
          for (const u of ['u0', 'u1', 'u2']) assert.equal(slots.open(u), 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
