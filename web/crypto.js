// The demo's end-to-end encryption (WebCrypto). NOT the Signal protocol: no
// ratchet, no forward secrecy, no authentication of keys. Each device has an
// ECDH P-256 key pair; its public key is published as identity_key and
// signed_pre_key of the device's key bundle. Two users share one AES-256-GCM
// key per conversation: HKDF-SHA-256 over their ECDH secret, salted with both
// user ids. A message is base64(12-byte random IV || AES-GCM ciphertext).

const te = new TextEncoder();
const td = new TextDecoder();

export const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
export const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function newDeviceKeys() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  return {
    privateKey: pair.privateKey,
    publicRaw: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
  };
}

/** The key bundle published for a device: the ECDH public key (the demo signs nothing: the "signature" is its SHA-256). */
export async function keyBundleOf(keys) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', keys.publicRaw));
  return { identity_key: keys.publicRaw, signed_pre_key: keys.publicRaw, signed_pre_key_signature: digest };
}

const storageKey = (username) => `guardyn.demo.device.${username.toLowerCase()}`;

/** Keeps a device's keys and id in this browser (localStorage), for the next login. */
export async function saveDevice(username, deviceId, keys) {
  const jwk = await crypto.subtle.exportKey('jwk', keys.privateKey);
  localStorage.setItem(storageKey(username), JSON.stringify({ deviceId, jwk, publicRaw: b64(keys.publicRaw) }));
}

export async function loadDevice(username) {
  const text = localStorage.getItem(storageKey(username));
  if (text === null) return undefined;
  const saved = JSON.parse(text);
  const privateKey = await crypto.subtle.importKey('jwk', saved.jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  return { deviceId: saved.deviceId, keys: { privateKey, publicRaw: unb64(saved.publicRaw) } };
}

/** The AES-GCM key two users share (the same on both sides). */
export async function conversationKey(myKeys, myUserId, peerPublicRaw, peerUserId) {
  const peer = await crypto.subtle.importKey('raw', peerPublicRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, myKeys.privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const salt = te.encode([myUserId, peerUserId].sort().join(':'));
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: te.encode('guardyn web demo v1') },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function encryptText(key, text) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, te.encode(text)));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return out;
}

/** The text, or undefined when it cannot be opened with this key. */
export async function decryptText(key, bytes) {
  if (bytes.length < 12 + 16) return undefined;
  try {
    return td.decode(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, key, bytes.subarray(12)),
    );
  } catch {
    return undefined;
  }
}
