/**
 * The web client's demo encryption, in Node's WebCrypto (the same API as the
 * browser's): both sides derive one key, text round-trips, anything altered or
 * sealed for someone else does not open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { b64, conversationKey, decryptText, encryptText, keyBundleOf, newDeviceKeys, unb64 } from './crypto.js';

test('two users derive the same conversation key; text round-trips; tampering and strangers fail', async () => {
  const alice = await newDeviceKeys();
  const bob = await newDeviceKeys();
  const eve = await newDeviceKeys();
  assert.equal(alice.publicRaw.length, 65, 'uncompressed P-256 point');
  const bundle = await keyBundleOf(alice);
  assert.deepEqual(bundle.identity_key, alice.publicRaw);
  assert.equal(bundle.signed_pre_key_signature.length, 32);

  const ab = await conversationKey(alice, 'user-a', bob.publicRaw, 'user-b');
  const ba = await conversationKey(bob, 'user-b', alice.publicRaw, 'user-a');
  const text = 'hello Bob — ünïcode 🙂';
  const sealed = await encryptText(ab, text);
  assert.equal(await decryptText(ba, sealed), text);
  assert.equal(await decryptText(ab, sealed), text, 'the sender reads its own history');
  assert.equal(Buffer.from(sealed).includes(Buffer.from('hello')), false);
  assert.equal(sealed.length, 12 + Buffer.byteLength(text) + 16);

  const again = await encryptText(ab, text);
  assert.notDeepEqual(again.subarray(0, 12), sealed.subarray(0, 12), 'a fresh IV per message');
  assert.equal(await decryptText(ba, unb64(b64(again))), text, 'through base64 as on the WebSocket');

  const tampered = Uint8Array.from(sealed);
  tampered[20]! ^= 1;
  assert.equal(await decryptText(ba, tampered), undefined);
  assert.equal(await decryptText(ba, sealed.subarray(0, 20)), undefined);
  const eveKey = await conversationKey(eve, 'user-e', alice.publicRaw, 'user-a');
  assert.equal(await decryptText(eveKey, sealed), undefined);
  // The salt binds the key to the pair of user ids.
  const otherIds = await conversationKey(bob, 'user-b', alice.publicRaw, 'user-x');
  assert.equal(await decryptText(otherIds, sealed), undefined);
});
