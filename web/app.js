// The Guardyn web client: register or log in over gRPC-Web, pick a contact by
// username, chat in real time over the WebSocket gateway with typing
// indicators and read receipts. Text is encrypted here before it is sent
// (crypto.js); the server only ever holds ciphertext.
import { call, ContractError } from './grpc-web.js';
import { METHODS } from './messages.js';
import {
  b64,
  conversationKey,
  decryptText,
  encryptText,
  keyBundleOf,
  loadDevice,
  newDeviceKeys,
  saveDevice,
  unb64,
} from './crypto.js';
import { installCalls } from './call-ui.js';

const $ = (id) => document.getElementById(id);

const state = {
  me: undefined, // { userId, deviceId, token, username, keys }
  ws: undefined,
  peers: new Map(), // userId -> { userId, username, key?, messages: Map<id, entry>, unread }
  active: undefined, // userId of the open conversation
  pendingByClientId: new Map(), // client_message_id -> entry
  typingSentAt: 0,
  typingStop: undefined,
  typingHide: undefined,
  websocket: undefined,
};

function status(text) {
  $('status').textContent = text ?? '';
}

function explain(err) {
  if (err instanceof ContractError) return err.message;
  return err?.message ?? String(err);
}

// --- account -----------------------------------------------------------------

async function register(username, password) {
  const keys = await newDeviceKeys();
  const s = await call(METHODS.Register, {
    username,
    password,
    device_name: navigator.userAgent.slice(0, 60),
    device_type: 'web',
    key_bundle: await keyBundleOf(keys),
  });
  await saveDevice(username, s.device_id, keys);
  return session(s, username, keys);
}

/** The signed-in device; its access token is renewed (RefreshToken) before it expires. */
function session(s, username, keys) {
  const me = {
    userId: s.user_id,
    deviceId: s.device_id,
    token: s.access_token,
    refreshToken: s.refresh_token,
    username,
    keys,
  };
  scheduleRefresh(me, s.access_token_expires_in);
  return me;
}

function scheduleRefresh(me, expiresIn) {
  const seconds = Math.max(10, Math.floor(Number(expiresIn || 900) * 0.8));
  setTimeout(async () => {
    try {
      const r = await call(METHODS.RefreshToken, { refresh_token: me.refreshToken });
      me.token = r.access_token;
      me.refreshToken = r.refresh_token || me.refreshToken;
      scheduleRefresh(me, r.access_token_expires_in);
    } catch (err) {
      status(`Session could not be renewed (${explain(err)}): log in again`);
    }
  }, seconds * 1000);
}

async function login(username, password) {
  const known = await loadDevice(username);
  if (known !== undefined) {
    const s = await call(METHODS.Login, { username, password, device_id: known.deviceId });
    return session(s, username, known.keys);
  }
  // A browser without this user's keys enrols as a new device with new keys.
  const keys = await newDeviceKeys();
  const s = await call(METHODS.Login, {
    username,
    password,
    device_name: navigator.userAgent.slice(0, 60),
    device_type: 'web',
    key_bundle: await keyBundleOf(keys),
  });
  await saveDevice(username, s.device_id, keys);
  return session(s, username, keys);
}

$('account-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const action = event.submitter?.value ?? 'register';
  const username = $('username').value.trim();
  const password = $('password').value;
  status(action === 'register' ? 'Registering…' : 'Logging in…');
  try {
    state.me = action === 'register' ? await register(username, password) : await login(username, password);
    $('password').value = '';
    $('account').hidden = true;
    $('chat').hidden = false;
    $('me').hidden = false;
    $('me').textContent = `${state.me.username}`;
    status('');
    await connect();
    await calls.connect();
  } catch (err) {
    status(`Could not ${action === 'register' ? 'register' : 'log in'}: ${explain(err)}`);
  }
});

// --- contacts and conversations ---------------------------------------------------

async function peerKey(peer) {
  if (peer.key === undefined) {
    const bundle = await call(METHODS.GetKeyBundle, { user_id: peer.userId, device_id: '' }, state.me.token);
    const pub = bundle.key_bundle?.identity_key;
    if (!pub || pub.length !== 65)
      throw new Error(`${peer.username} has no web client key (they must sign in here once)`);
    peer.key = await conversationKey(state.me.keys, state.me.userId, pub, peer.userId);
  }
  return peer.key;
}

function peerEntry(userId, username) {
  let peer = state.peers.get(userId);
  if (peer === undefined) {
    peer = { userId, username: username ?? userId.slice(0, 8), key: undefined, messages: new Map(), unread: 0 };
    state.peers.set(userId, peer);
  } else if (username) peer.username = username;
  return peer;
}

$('contact-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('contact').value.trim();
  if (name === '') return;
  try {
    const found = await call(METHODS.SearchUsers, { query: name, limit: 20 }, state.me.token);
    const user = found.users.find((u) => u.username.toLowerCase() === name.toLowerCase());
    if (user === undefined) return status(`No user named ${name}`);
    $('contact').value = '';
    await openConversation(peerEntry(user.user_id, user.username));
  } catch (err) {
    status(`Could not find ${name}: ${explain(err)}`);
  }
});

async function openConversation(peer) {
  state.active = peer.userId;
  peer.unread = 0;
  $('peer-name').textContent = peer.username;
  $('compose').disabled = false;
  $('send').disabled = false;
  $('typing').hidden = true;
  status('');
  renderContacts();
  renderMessages();
  calls.conversationChanged();
  try {
    const key = await peerKey(peer);
    const history = await call(METHODS.GetMessages, { conversation_user_id: peer.userId, limit: 50 }, state.me.token);
    for (const m of history.messages) {
      if (peer.messages.has(m.message_id) || m.is_deleted) continue;
      const mine = m.sender_user_id === state.me.userId;
      peer.messages.set(m.message_id, {
        id: m.message_id,
        mine,
        at: Number(m.server_timestamp?.seconds ?? 0) * 1000 + Math.floor(Number(m.server_timestamp?.nanos ?? 0) / 1e6),
        seq: m.seq,
        text: await decryptText(key, m.encrypted_content),
        status: mine ? (m.delivery_status ?? 'SENT').toLowerCase() : undefined,
      });
    }
    renderMessages();
    markRead(peer);
  } catch (err) {
    status(explain(err));
  }
  $('compose').focus();
}

function renderContacts() {
  const list = $('contacts');
  list.replaceChildren();
  for (const peer of state.peers.values()) {
    const li = document.createElement('li');
    li.textContent = peer.username;
    li.dataset.userId = peer.userId;
    if (peer.userId === state.active) li.classList.add('active');
    if (peer.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.textContent = String(peer.unread);
      li.append(badge);
    }
    li.addEventListener('click', () => openConversation(peer));
    list.append(li);
  }
}

function renderMessages() {
  const list = $('messages');
  list.replaceChildren();
  const peer = state.peers.get(state.active);
  if (peer === undefined) return;
  // Server time, then the stream sequence (the commit order) for messages of the same millisecond.
  const entries = [...peer.messages.values()].sort((a, b) => a.at - b.at || (a.seq ?? Infinity) - (b.seq ?? Infinity));
  for (const e of entries) {
    const li = document.createElement('li');
    li.className = e.mine ? 'mine' : 'theirs';
    li.dataset.messageId = e.id;
    const text = document.createElement('span');
    text.className = 'text';
    if (e.text === undefined) {
      li.classList.add('undecryptable');
      text.textContent = '(cannot be decrypted in this browser)';
    } else text.textContent = e.text;
    li.append(text);
    if (e.mine) {
      const s = document.createElement('span');
      s.className = 'status';
      s.textContent = e.status;
      li.append(s);
    }
    list.append(li);
  }
  list.scrollTop = list.scrollHeight;
}

function markRead(peer) {
  if (document.visibilityState !== 'visible' || state.active !== peer.userId) return;
  const unread = [...peer.messages.values()].filter((e) => !e.mine && !e.readSent).slice(-500);
  if (unread.length === 0) return;
  for (const e of unread) e.readSent = true;
  send('mark_read', { message_ids: unread.map((e) => e.id) });
}

document.addEventListener('visibilitychange', () => {
  const peer = state.peers.get(state.active);
  if (peer) markRead(peer);
});

// --- composing -------------------------------------------------------------------

$('compose').addEventListener('input', () => {
  if (state.active === undefined) return;
  const now = Date.now();
  if (now - state.typingSentAt > 2000) {
    state.typingSentAt = now;
    send('typing', { conversation_id: state.active, is_typing: true });
  }
  clearTimeout(state.typingStop);
  state.typingStop = setTimeout(stopTyping, 3000);
});

function stopTyping() {
  clearTimeout(state.typingStop);
  if (state.typingSentAt !== 0 && state.active !== undefined)
    send('typing', { conversation_id: state.active, is_typing: false });
  state.typingSentAt = 0;
}

$('compose-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('compose').value;
  const peer = state.peers.get(state.active);
  if (text.trim() === '' || peer === undefined) return;
  try {
    const key = await peerKey(peer);
    const sealed = await encryptText(key, text);
    const clientId = crypto.randomUUID();
    const entry = { id: `pending:${clientId}`, mine: true, at: Date.now(), text, status: 'sending' };
    peer.messages.set(entry.id, entry);
    state.pendingByClientId.set(clientId, { entry, peer });
    $('compose').value = '';
    stopTyping();
    renderMessages();
    send('send_message', {
      recipient_id: peer.userId,
      content: b64(sealed),
      encrypted: true,
      client_message_id: clientId,
      content_type: 'text',
    });
  } catch (err) {
    status(`Not sent: ${explain(err)}`);
  }
});

// --- the WebSocket -------------------------------------------------------------

async function connect() {
  if (state.websocket === undefined) {
    const config = await (await fetch('/web/config.json')).json();
    if (config.websocket === null) return status('This server runs no WebSocket gateway: no real-time delivery.');
    state.websocket = config.websocket;
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.hostname}:${state.websocket.port}${state.websocket.path}`);
  state.ws = ws;
  ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', payload: { token: state.me.token } })));
  ws.addEventListener('message', (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    void onFrame(frame.type, frame.payload ?? {});
  });
  ws.addEventListener('close', () => {
    $('connection').textContent = 'offline';
    $('connection').classList.remove('online');
    if (state.ws === ws) setTimeout(() => void connect(), 2000);
  });
}

function send(type, payload) {
  if (state.ws?.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify({ type, payload }));
}

async function onFrame(type, p) {
  switch (type) {
    case 'auth_response':
      if (p.success) {
        $('connection').textContent = 'online';
        $('connection').classList.add('online');
      } else status(`Real-time connection refused: ${p.error ?? 'unauthorized'}`);
      return;
    case 'message_sent': {
      const pending = state.pendingByClientId.get(p.client_message_id);
      if (pending === undefined) return;
      state.pendingByClientId.delete(p.client_message_id);
      const { entry, peer } = pending;
      peer.messages.delete(entry.id);
      entry.id = p.message_id;
      entry.status = 'sent';
      entry.at = Date.parse(p.timestamp) || entry.at;
      entry.seq = Number(p.consistency?.seq ?? NaN) || undefined;
      peer.messages.set(entry.id, entry);
      if (peer.userId === state.active) renderMessages();
      return;
    }
    case 'message':
      return onMessage(p);
    case 'delivery_receipt':
    case 'read_receipt':
      return onReceipt(p.user_id, p.message_ids ?? [], type === 'read_receipt' ? 'read' : 'delivered');
    case 'typing': {
      if (p.user_id !== state.active) return;
      const peer = state.peers.get(p.user_id);
      $('typing').textContent = `${peer?.username ?? 'They'} is typing…`;
      $('typing').hidden = !p.is_typing;
      clearTimeout(state.typingHide);
      if (p.is_typing) state.typingHide = setTimeout(() => ($('typing').hidden = true), 6000);
      return;
    }
    case 'error':
      status(`${p.code}: ${p.message}`);
      return;
    default:
      return;
  }
}

async function onMessage(p) {
  const fromMe = p.sender_id === state.me.userId;
  const peerId = fromMe ? p.recipient_id : p.sender_id;
  let peer = state.peers.get(peerId);
  if (peer === undefined) {
    peer = peerEntry(peerId);
    try {
      peer.username =
        (await call(METHODS.GetUserProfile, { user_id: peerId }, state.me.token)).username ?? peer.username;
    } catch {
      // keep the short id
    }
  }
  if (peer.messages.has(p.message_id)) return;
  let text;
  try {
    text = p.is_deleted ? undefined : await decryptText(await peerKey(peer), unb64(p.content));
  } catch {
    text = undefined;
  }
  peer.messages.set(p.message_id, {
    id: p.message_id,
    mine: fromMe,
    at: Date.parse(p.timestamp) || Date.now(),
    seq: p.seq,
    text,
    status: fromMe ? 'sent' : undefined,
  });
  if (!fromMe && peer.userId === state.active) $('typing').hidden = true;
  if (peer.userId === state.active) {
    renderMessages();
    markRead(peer);
  } else {
    if (!fromMe) peer.unread += 1;
    renderContacts();
  }
}

const RANK = { sending: 0, sent: 1, delivered: 2, read: 3 };

function onReceipt(readerId, ids, status) {
  const peer = state.peers.get(readerId);
  if (peer === undefined) return;
  for (const id of ids) {
    const e = peer.messages.get(id);
    if (e?.mine && (RANK[e.status] ?? 0) < RANK[status]) e.status = status;
  }
  if (peer.userId === state.active) renderMessages();
}

// --- calls (call-ui.js) -------------------------------------------------------------

/** The peer entry of a user, its username asked once when unknown (a caller never seen before). */
function peerOf(userId) {
  const known = state.peers.get(userId);
  if (known !== undefined) return known;
  const peer = peerEntry(userId);
  void call(METHODS.GetUserProfile, { user_id: userId }, state.me.token).then(
    (p) => {
      if (p.username) peer.username = p.username;
      renderContacts();
    },
    () => undefined,
  );
  return peer;
}

const calls = installCalls({
  me: () => state.me,
  peerOf,
  keyOf: peerKey,
  active: () => state.peers.get(state.active),
  status,
  explain,
});
