/**
 * A running Guardyn writes signed checkpoints and operational samples to the
 * AUDIT stream at its interval; `verify` with the generated key's public half
 * then checks the checkpoints, and the report charts the samples.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { loadConfig } from '../../runtime/config.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { readCheckpoints } from '../../audit/checkpoints.ts';
import { loadVerifyKey, AUDIT_KEY_FILE } from '../../audit/keys.ts';
import { verifyStreams } from '../../audit/verify.ts';
import { buildReport } from '../../audit/report.ts';
import { natsRangeReader } from '../../streams/range-reader.ts';

describe('audit tasks of a running Guardyn', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let log: EventLog;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { env: { GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS: '1' } });
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
  });
  after(async () => {
    await log?.close();
    await g?.stop();
    await nats?.stop();
  });

  it('checkpoints the accounts written, with the key generated in the data dir', async () => {
    assert.ok(fs.existsSync(path.join(g.dataDir, AUDIT_KEY_FILE)));
    assert.equal(fs.statSync(path.join(g.dataDir, AUDIT_KEY_FILE)).mode & 0o077, 0);
    const r = await g.auth.Register!({ username: 'audited_user', password: 'a long enough password 1' });
    assert.equal(r['result'], 'success', JSON.stringify(r));
    const lastSeq = await log.lastSeq(STREAMS.accounts);
    let covered = 0;
    for (let i = 0; i < 100 && covered < lastSeq; i++) {
      await sleep(100);
      const { checkpoints } = await readCheckpoints(natsRangeReader(log), STREAMS.accounts);
      covered = checkpoints.at(-1)?.checkpoint.to ?? 0;
    }
    assert.ok(covered >= lastSeq, `checkpoints cover ${covered} of ${lastSeq}`);
    const publicKey = await loadVerifyKey(loadConfig(g.env));
    assert.ok(publicKey);
    const report = await verifyStreams(natsRangeReader(log), {
      streams: [STREAMS.accounts],
      publicKey,
      requireCheckpoints: true,
    });
    assert.equal(report.ok, true, JSON.stringify(report.breaks));
    assert.ok(report.streams[0]!.checkpoints.verified >= 1);
  });

  it('samples projection lag for the report', async () => {
    const out = path.join(g.dataDir, 'r.html');
    const summary = await buildReport(natsRangeReader(log), { streams: [STREAMS.accounts], window: {}, out });
    assert.ok(summary.commits >= 1);
    assert.match(summary.html, /Projection lag/);
    // The samples name the views the process projects.
    assert.match(summary.html, /<title>[^<]*sessions/);
  });
});
