// Calls in the web client: the call WebSocket (the calls role, /web/config.json `calls`), the call
// panel (ringing, answer, reject, hang up), the call history with missed calls, and the WebRTC peer
// of calls.js with the TURN servers from the `turn_credentials` frame. Offers, answers and candidates
// are sealed with the conversation key of the two users (crypto.js) before they leave the browser.
//
// Limit of the demo's keys: one key per user pair, from the callee's published key bundle; a callee
// device with other keys (a second browser) rings and learns "answered elsewhere", but cannot open an
// offer sealed for another of its devices (it says so).

import { b64, unb64 } from './crypto.js';
import { callPeer, iceServersOf } from './calls.js';

const $ = (id) => document.getElementById(id);

/**
 * app: { me() (the signed-in device), peerOf(userId) (a peer entry, username filled in), keyOf(peer)
 * (the conversation key), active() (the open peer or undefined), status(text), explain(err) }.
 */
export function installCalls(app) {
  const calls = {
    ws: undefined,
    config: undefined,
    current: undefined, // { callId?, peerId, media, role: 'caller'|'callee', peer (calls.js), pendingSignals[], offer? }
    ringing: new Map(), // callId -> ring frame (callee side)
    waiting: new Map(), // request_id -> resolve
    history: [],
  };
  let requests = 0;

  function request(type, payload) {
    const request_id = `r${++requests}`;
    return new Promise((resolve, reject) => {
      if (calls.ws?.readyState !== WebSocket.OPEN) return reject(new Error('the call connection is not open'));
      calls.waiting.set(request_id, { resolve, reject });
      calls.ws.send(JSON.stringify({ type, request_id, payload }));
    });
  }
  function fire(type, payload) {
    if (calls.ws?.readyState === WebSocket.OPEN) calls.ws.send(JSON.stringify({ type, payload }));
  }

  async function connect() {
    if (calls.config === undefined) {
      const config = await (await fetch('/web/config.json')).json();
      calls.config = config.calls ?? null;
    }
    if (calls.config === null) {
      $('call-status').textContent = 'This server runs no call service.';
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.hostname}:${calls.config.port}${calls.config.path}`);
    calls.ws = ws;
    ws.addEventListener('open', () =>
      ws.send(JSON.stringify({ type: 'auth', payload: { token: app.me().token, device_id: app.me().deviceId } })),
    );
    ws.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      void onFrame(frame).catch((err) => app.status(`Call: ${app.explain(err)}`));
    });
    ws.addEventListener('close', () => {
      document.body.classList.remove('calls-online');
      for (const [, w] of calls.waiting) w.reject(new Error('the call connection closed'));
      calls.waiting.clear();
      if (calls.ws === ws) setTimeout(() => void connect(), 2000);
    });
  }

  async function onFrame(frame) {
    const p = frame.payload ?? {};
    // The answer to a request carries its request_id (in the payload; an error's in its context).
    const requestId = frame.request_id ?? p.request_id ?? p.context?.request_id;
    const waiting = requestId === undefined ? undefined : calls.waiting.get(requestId);
    if (waiting !== undefined) {
      calls.waiting.delete(requestId);
      if (frame.type === 'error') waiting.reject(new Error(`${p.code}: ${p.message}`));
      else waiting.resolve(p);
      return;
    }
    switch (frame.type) {
      case 'auth_response':
        if (p.success) {
          document.body.classList.add('calls-online');
          renderButtons();
          void refreshHistory();
        } else app.status(`Call connection refused: ${p.error ?? 'unauthorized'}`);
        return;
      case 'call_ringing':
        return onRinging(p);
      case 'call_answered':
        if (calls.current?.callId === p.call_id && calls.current.role === 'caller') {
          await calls.current.peer.receive(unb64(p.payload));
          show('in-call', `In call with ${peerName(calls.current.peerId)}`);
        }
        return;
      case 'call_signal':
        if (calls.current?.callId !== p.call_id) return;
        // The caller's candidates reach a ringing device before it has answered: kept until it does.
        if (calls.current.peer === undefined) calls.current.early.push(p.payload);
        else await calls.current.peer.receive(unb64(p.payload));
        return;
      case 'call_answered_elsewhere':
        return ended(p.call_id, 'Answered on another device');
      case 'call_rejected':
        return ended(p.call_id, p.reason === 'busy' ? 'Busy' : 'Declined');
      case 'call_missed':
        return ended(p.call_id, 'Missed call');
      case 'call_ended':
        return ended(
          p.call_id,
          p.reason === 'cancelled'
            ? 'Call cancelled'
            : `Call ended${p.duration_seconds ? ` (${p.duration_seconds} s)` : ''}`,
        );
      case 'error':
        app.status(`${p.code}: ${p.message}`);
        return;
      default:
        return;
    }
  }

  function peerName(userId) {
    return app.peerOf(userId).username;
  }

  async function iceServers() {
    const c = await request('turn_credentials', {});
    return iceServersOf({ uris: c.uris, username: c.username, password: c.password });
  }

  function newPeer(current, key, servers) {
    return callPeer({
      iceServers: servers,
      relayOnly: window.guardynCallRelayOnly === true,
      video: current.media === 'video',
      key,
      send: (bytes, signal) => {
        if (signal.t !== 'candidate') return; // offers and answers go in StartCall / AnswerCall
        if (current.callId === undefined) current.pendingSignals.push(bytes);
        else fire('signal', { call_id: current.callId, payload: b64(bytes) });
      },
      onRemoteStream: (stream) => {
        $('remote-media').srcObject = stream;
      },
    });
  }

  async function start(media) {
    const target = app.active();
    if (target === undefined || calls.current !== undefined) return;
    const current = { callId: undefined, peerId: target.userId, media, role: 'caller', pendingSignals: [] };
    calls.current = current;
    show('calling', `Calling ${target.username}…`);
    try {
      const key = await app.keyOf(target);
      current.peer = newPeer(current, key, await iceServers());
      const offer = await current.peer.offer();
      $('local-media').srcObject = current.peer.localStream;
      const started = await request('start_call', {
        callee_id: target.userId,
        media,
        offer: b64(offer),
        client_call_id: crypto.randomUUID(),
      });
      current.callId = started.call_id;
      for (const bytes of current.pendingSignals.splice(0))
        fire('signal', { call_id: current.callId, payload: b64(bytes) });
      show('calling', `Ringing ${target.username}…`);
    } catch (err) {
      finish();
      show('idle', `Call failed: ${app.explain(err)}`);
    }
  }

  function onRinging(p) {
    if (p.caller_id === app.me().userId) return; // the caller's own "ringing" notice
    calls.ringing.set(p.call_id, p);
    if (calls.current !== undefined) return; // busy: the user may still reject
    calls.current = {
      callId: p.call_id,
      peerId: p.caller_id,
      media: p.media,
      role: 'callee',
      pendingSignals: [],
      early: [],
      offer: p.payload,
    };
    show('ringing', `${peerName(p.caller_id)} is calling (${p.media})`);
  }

  async function answer() {
    const current = calls.current;
    if (current?.role !== 'callee' || current.peer !== undefined) return;
    try {
      if (current.offer === undefined) throw new Error('no offer reached this device');
      const key = await app.keyOf(app.peerOf(current.peerId));
      current.peer = newPeer(current, key, await iceServers());
      const sealed = await current.peer.answer(unb64(current.offer));
      for (const payload of current.early.splice(0)) await current.peer.receive(unb64(payload));
      $('local-media').srcObject = current.peer.localStream;
      await request('answer_call', { call_id: current.callId, answer: b64(sealed) });
      show('in-call', `In call with ${peerName(current.peerId)}`);
    } catch (err) {
      app.status(`Could not answer: ${app.explain(err)}`);
    }
  }

  async function reject() {
    const current = calls.current;
    if (current?.role !== 'callee') return;
    try {
      await request('reject_call', { call_id: current.callId, reason: 'declined' });
    } catch (err) {
      app.status(`Could not reject: ${app.explain(err)}`);
    }
    ended(current.callId, 'Declined');
  }

  async function hangUp() {
    const current = calls.current;
    if (current === undefined) return;
    if (current.callId !== undefined) {
      try {
        await request('hang_up', { call_id: current.callId });
      } catch (err) {
        app.status(`Hang up: ${app.explain(err)}`);
      }
    }
    ended(current.callId, 'Call ended');
  }

  function finish() {
    calls.current?.peer?.close();
    calls.current = undefined;
    $('local-media').srcObject = null;
    $('remote-media').srcObject = null;
  }

  function ended(callId, text) {
    calls.ringing.delete(callId);
    if (calls.current?.callId === callId) {
      finish();
      show('idle', text);
    }
    void refreshHistory();
  }

  function show(mode, text) {
    const panel = $('call');
    panel.dataset.state = mode;
    panel.hidden = mode === 'idle' && text === undefined;
    $('call-status').textContent = text ?? '';
    $('answer-call').hidden = mode !== 'ringing';
    $('reject-call').hidden = mode !== 'ringing';
    $('hang-up').hidden = mode !== 'calling' && mode !== 'in-call';
    renderButtons();
  }

  function renderButtons() {
    const can = calls.ws?.readyState === WebSocket.OPEN && app.active() !== undefined && calls.current === undefined;
    $('call-audio').disabled = !can;
    $('call-video').disabled = !can;
  }

  async function refreshHistory() {
    try {
      const h = await request('call_history', { limit: 20 });
      calls.history = h.calls ?? [];
    } catch {
      return;
    }
    const list = $('call-history');
    list.replaceChildren();
    for (const c of calls.history) {
      // A CallRecord as this user sees it (docs/CALLS.md): direction, peer_user_id, state, end_reason.
      const li = document.createElement('li');
      const outgoing = String(c.direction ?? '').toLowerCase() === 'outgoing';
      const outcome =
        String(c.state ?? '').toLowerCase() === 'ended'
          ? String(c.end_reason ?? 'ended').toLowerCase()
          : String(c.state ?? '').toLowerCase();
      li.dataset.callId = c.call_id;
      li.dataset.outcome = outcome;
      if (outcome === 'missed') li.className = 'missed';
      li.textContent = `${outgoing ? '→' : '←'} ${peerName(c.peer_user_id)} · ${String(c.media ?? '').toLowerCase()} · ${outcome.replace(/_/g, ' ')}${c.duration_seconds ? ` · ${c.duration_seconds} s` : ''}`;
      list.append(li);
    }
  }

  $('call-audio').addEventListener('click', () => void start('audio'));
  $('call-video').addEventListener('click', () => void start('video'));
  $('answer-call').addEventListener('click', () => void answer());
  $('reject-call').addEventListener('click', () => void reject());
  $('hang-up').addEventListener('click', () => void hangUp());

  // For tests and the console: the call in progress (its getStats() summary) and the history.
  window.guardynCalls = {
    stats: () => calls.current?.peer?.stats(),
    current: () =>
      calls.current === undefined
        ? undefined
        : {
            callId: calls.current.callId,
            role: calls.current.role,
            peerId: calls.current.peerId,
            media: calls.current.media,
          },
    history: () => calls.history,
    refreshHistory,
  };

  return { connect, conversationChanged: renderButtons };
}
