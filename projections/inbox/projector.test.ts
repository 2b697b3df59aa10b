import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import { inboxProjection } from './projector.ts';
import { InboxView } from './queries.ts';
import { isForDevice } from './schema.ts';

let seq = 0;
function sent(from: [string, string], to: string, toDevice = ''): StoredCommit {
  seq += 1;
  const event: ConversationEvent = {
    type: 'MessageSent',
    data: {
      messageId: `m${seq}`,
      conversationId: 'conv',
      senderUserId: from[0],
      senderDeviceId: from[1],
      recipientUserId: to,
      recipientDeviceId: toDevice,
      encryptedContent: Buffer.from('x'),
      messageType: 'TEXT',
      clientMessageId: '',
      clientTimestamp: null,
      mediaId: '',
      x3dhPrekey: '',
      at: seq,
    },
  };
  return {
    stream: 'MESSAGES',
    subject: 'messages.conv.conv',
    seq,
    prev: '',
    hash: '',
    body: new Uint8Array(0),
    commandId: `c${seq}`,
    command: 'SendMessage',
    correlationId: 'x',
    causationId: 'x',
    actor: null,
    at: seq,
    events: [event],
  };
}

describe('inbox projection', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-inbox-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('files a message under the recipient and (untargeted) the sender, and announces them after the commit', async () => {
    const announced: [string[], number][] = [];
    const p = inboxProjection(stores.kv, (users, s) => announced.push([[...users].sort(), s]));
    const commits = [
      sent(['ann', 'a1'], 'bob'),
      sent(['ann', 'a1'], 'bob', 'b2'),
      sent(['ann', 'a1'], 'ann', 'a2'),
      sent(['bob', 'b1'], 'ann'),
    ];
    const tx = p.target.begin();
    for (const c of commits) await p.project(c, tx);
    assert.equal(announced.length, 0, 'nothing is announced before the commit');
    await p.target.commit(p.name, tx, commits[3]!.seq, []);
    assert.deepEqual(announced, [[['ann', 'bob'], commits[3]!.seq]]);

    const view = new InboxView(stores.kv);
    const bob = await view.after('bob', 0, 100);
    assert.deepEqual(
      bob.map((i) => i.seq),
      [1, 2, 4],
    );
    assert.deepEqual(
      bob.map((i) => ['b1', 'b2'].filter((d) => isForDevice(i.entry, d))),
      [['b1', 'b2'], ['b2'], ['b2']],
      "seq 4 is bob's own: a sync copy for his other device",
    );
    const ann = await view.after('ann', 0, 100);
    assert.deepEqual(
      ann.map((i) => i.seq),
      [1, 3, 4],
      'no sync copy of a targeted message',
    );
    assert.deepEqual(
      ann.map((i) => ['a1', 'a2', 'a3'].filter((d) => isForDevice(i.entry, d))),
      [['a2', 'a3'], ['a2'], ['a1', 'a2', 'a3']],
    );
    assert.deepEqual(
      ann.map((i) => i.entry.sync),
      [true, false, false],
    );
    assert.deepEqual(
      (await view.after('bob', 1, 1)).map((i) => i.seq),
      [2],
      'after a sequence, paged',
    );
    assert.deepEqual(await view.after('carol', 0, 100), []);
  });

  it('keeps delivery cursors moving forward only', async () => {
    const view = new InboxView(stores.kv);
    assert.equal(await view.cursor('dora', 'd1'), 0);
    await view.advanceCursor('dora', 'd1', 7);
    await view.advanceCursor('dora', 'd1', 5);
    await view.advanceCursor('dora', 'd2', 9);
    assert.equal(await view.cursor('dora', 'd1'), 7);
    assert.equal(await view.deliveredUpTo('dora'), 9);
  });
});
