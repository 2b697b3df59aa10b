/**
 * Stream replicas: `auto` gives 3 on a 3-node JetStream cluster and 1 on a
 * single server (both real nats-servers started here), explicit numbers win,
 * and a bad GUARDYN_MESSAGING__STREAM_REPLICAS stops the start naming it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { startNatsCluster, type TestNatsCluster } from '../test/support/nats-cluster.ts';
import { silentLogger } from '../runtime/logger.ts';
import { ConfigError, loadConfig } from '../runtime/config.ts';
import { EventLog } from './log.ts';
import { eventRegistry } from './events/index.ts';
import { streamSpecs } from './specs.ts';
import { STREAMS } from './subjects.ts';
import { clusterSize, streamReplicas } from './replicas.ts';

describe('the replica setting', () => {
  it('auto: 3 on a cluster of 3 or more servers, else 1; a number wins', () => {
    assert.equal(streamReplicas('auto', undefined), 1);
    assert.equal(
      streamReplicas('auto', { connect_urls: ['a:4222', 'b:4222', 'c:4222'] }),
      1,
      'no cluster name: not clustered',
    );
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a:4222', 'b:4222'] }), 1);
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a:4222', 'b:4222', 'c:4222'] }), 3);
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a', 'b', 'c', 'd', 'e'] }), 3);
    assert.equal(clusterSize({ cluster: 'g', connect_urls: ['a', 'a', 'b'] }), 2, 'a URL counts once');
    assert.equal(streamReplicas(5, undefined), 5);
  });

  it('GUARDYN_MESSAGING__STREAM_REPLICAS: auto by default, 1-5, anything else refused by name', () => {
    assert.equal(loadConfig({}).messaging.streamReplicas, 'auto');
    assert.equal(loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: 'AUTO' }).messaging.streamReplicas, 'auto');
    assert.equal(loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: '3' }).messaging.streamReplicas, 3);
    for (const bad of ['0', '6', 'three', '-1', '2.5']) {
      assert.throws(
        () => loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: bad }),
        (err: Error) => err instanceof ConfigError && err.message.includes('GUARDYN_MESSAGING__STREAM_REPLICAS'),
        bad,
      );
    }
  });
});

describe('on a single server', () => {
  let nats: TestNatsServer;
  before(async () => {
    nats = await withNatsServer();
  });
  after(async () => {
    await nats?.stop();
  });

  it('auto creates the streams with one replica', async () => {
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    try {
      const replicas = streamReplicas('auto', log.nc.info);
      assert.equal(replicas, 1);
      await log.ensureStreams(streamSpecs(replicas));
      const info = await log.jsm.streams.info(STREAMS.messages);
      assert.equal(info.config.num_replicas, 1);
    } finally {
      await log.close();
    }
  });
});

describe('on a 3-node JetStream cluster', () => {
  let cluster: TestNatsCluster | undefined;
  before(async () => {
    cluster = await startNatsCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('auto creates the streams with three replicas, placed on all three servers', async () => {
    // startNatsCluster waited until the cluster formed (routes up, JetStream answering through every node).
    const url = cluster!.nodes[0]!.url;
    const log = await EventLog.connect(url, eventRegistry, silentLogger);
    try {
      const replicas = streamReplicas('auto', log.nc.info);
      assert.equal(replicas, 3);
      await log.ensureStreams(streamSpecs(replicas));
      for (const name of [STREAMS.accounts, STREAMS.messages, STREAMS.media]) {
        const info = await log.jsm.streams.info(name);
        assert.equal(info.config.num_replicas, 3, name);
        assert.equal(1 + (info.cluster?.replicas?.length ?? 0), 3, `${name} is placed on three servers`);
      }
    } finally {
      await log.close();
    }
  });
});
