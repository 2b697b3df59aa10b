/**
 * `npm run bench -- tikv`: the write pattern of a key-value projection (per event a
 * batch of view rows, plus the checkpoint as a conditional batch every 20 events),
 * and point reads, through the TiKV adapter (against the ops/tikv stand-in over
 * loopback gRPC) beside the embedded LMDB adapter, in one run, as ratios.
 * The stand-in is an in-memory mock behind real gRPC: the figures measure the
 * client, the wire and the adapter, not a TiKV cluster.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMeter, describeMachine } from './machine.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import type { KvStore } from '../stores/kv/port.ts';
import { TikvKvStore } from '../stores/kv/tikv/adapter.ts';
import { findTikvMock, startTikvMock, TIKV_INSTALL_HINT } from '../stores/kv/tikv/mock-server.ts';
import { key } from '../stores/kv/keys.ts';

const EVENTS = 3000;
const READS = 3000;
const CONCURRENCY = 16;
const value = new Uint8Array(200).fill(7);

async function applyRate(kv: KvStore, run: string): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      let applied = 0;
      for (let i = next++; i < EVENTS; i = next++) {
        await kv.batch([
          { key: key('bench', run, 'row', i), value },
          { key: key('bench', run, 'index', lane, i), value },
        ]);
        applied += 1;
        if (applied % 20 === 0) {
          const checkpoint = key('bench', run, 'checkpoint', lane);
          const before = await kv.get(checkpoint);
          await kv.batch(
            [{ key: checkpoint, value: Uint8Array.of(applied & 0xff) }],
            [{ key: checkpoint, expected: before ?? null }],
          );
        }
      }
    }),
  );
  return EVENTS / ((performance.now() - t0) / 1000);
}

async function readRate(kv: KvStore, run: string): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < READS; i = next++) await kv.get(key('bench', run, 'row', i % EVENTS));
    }),
  );
  return READS / ((performance.now() - t0) / 1000);
}

export async function benchTikv(): Promise<void> {
  console.log(describeMachine());
  const binary = findTikvMock();
  if (binary === undefined) {
    console.log(`tikv: skipped, no TiKV stand-in binary: ${TIKV_INSTALL_HINT}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-kv-'));
  const embedded = await openEmbeddedStores(dir);
  const mock = await startTikvMock({ binary });
  const tikv = await TikvKvStore.connect({ pdEndpoints: [mock.pd] });
  try {
    // Regions: split the bench's key space so writes and reads cross region boundaries.
    for (const at of ['bench\u0000tikv\u0000row', 'bench\u0000tikv\u0000index'])
      await mock.split(new TextEncoder().encode(at));
    const lmdbApply = await applyRate(embedded.kv, 'lmdb');
    const meter = cpuMeter([process.pid, mock.pid]);
    const tikvApply = await applyRate(tikv, 'tikv');
    const cpu = meter.stop();
    const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)}%`);
    const lmdbRead = await readRate(embedded.kv, 'lmdb');
    const tikvRead = await readRate(tikv, 'tikv');
    console.log(
      `projection apply (${EVENTS} events, ${CONCURRENCY} lanes): TiKV ${tikvApply.toFixed(0)} events/s, LMDB ${lmdbApply.toFixed(0)} events/s, ratio ${(tikvApply / lmdbApply).toFixed(3)}`,
    );
    console.log(
      `point reads (${READS}, ${CONCURRENCY} concurrent): TiKV ${tikvRead.toFixed(0)} reads/s, LMDB ${lmdbRead.toFixed(0)} reads/s, ratio ${(tikvRead / lmdbRead).toFixed(3)}`,
    );
    console.log(
      `CPU during the TiKV apply run (percent of one core): this process ${pct(cpu.byPid.get(process.pid))}, stand-in ${pct(cpu.byPid.get(mock.pid))}, machine ${pct(cpu.machine)}`,
    );
    console.log(`TiKV client: ${JSON.stringify(tikv.client.stats)}`);
  } finally {
    await tikv.close();
    await mock.stop();
    await embedded.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
