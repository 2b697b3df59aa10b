import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTyping, typingSubject, type TypingSignal } from './typing.ts';
import { SubjectTokenError } from './subjects.ts';
import { streamSpecs } from './specs.ts';

describe('typing signals', () => {
  test('go to one subject per recipient that no stream captures', () => {
    const subject = typingSubject('00000000-0000-4000-8000-000000000001');
    assert.equal(subject, 'typing.user.00000000-0000-4000-8000-000000000001');
    assert.throws(() => typingSubject('a.>'), SubjectTokenError);
    for (const spec of streamSpecs()) {
      for (const filter of spec.subjects ?? [])
        assert.ok(!filter.startsWith('typing') && filter !== '>', `${spec.name} would store ${subject}`);
    }
  });

  test('decode what was published and nothing else', () => {
    const signal: TypingSignal = {
      fromUserId: 'a',
      fromDeviceId: 'd',
      toUserId: 'b',
      conversationId: 'c',
      isTyping: true,
      at: 5,
    };
    assert.deepEqual(decodeTyping(Buffer.from(JSON.stringify(signal))), signal);
    assert.equal(decodeTyping(Buffer.from('not json')), undefined);
    assert.equal(decodeTyping(Buffer.from(JSON.stringify({ ...signal, isTyping: 'yes' }))), undefined);
    assert.equal(decodeTyping(Buffer.from('null')), undefined);
  });
});
