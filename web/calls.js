// One side of a one-to-one call in the browser: an RTCPeerConnection with the TURN servers the
// call service hands out (GetTurnCredentials), the camera and microphone, and the session
// descriptions and ICE candidates as signals. Signals leave this module only sealed with the
// conversation's end-to-end key (crypto.js): the server relays opaque bytes and never sees an SDP
// (one that could rewrite it could put itself in the middle of DTLS).
//
// Transport-free: `send(bytes)` is given by the caller (the call service's StartCall, AnswerCall,
// SendSignal), and what arrives is handed to `receive(bytes)`.

import { decryptText, encryptText } from './crypto.js';

/** A signal as sealed: { t: 'offer'|'answer', sdp } or { t: 'candidate', c: RTCIceCandidateInit }. */
export async function sealSignal(key, signal) {
  return encryptText(key, JSON.stringify(signal));
}

/** The signal, or undefined when the bytes do not open with this key or are not a signal. */
export async function openSignal(key, bytes) {
  const text = await decryptText(key, bytes);
  if (text === undefined) return undefined;
  try {
    const s = JSON.parse(text);
    if ((s.t === 'offer' || s.t === 'answer') && typeof s.sdp === 'string') return s;
    if (s.t === 'candidate' && typeof s.c === 'object' && s.c !== null) return s;
  } catch {
    // not JSON
  }
  return undefined;
}

/** iceServers for RTCPeerConnection from a GetTurnCredentials answer ({ uris, username, password }). */
export function iceServersOf(credentials) {
  return [{ urls: [...credentials.uris], username: credentials.username, credential: credentials.password }];
}

/**
 * A call peer. options: { iceServers, relayOnly (iceTransportPolicy 'relay'), video (boolean),
 * key (the conversation's AES-GCM key), send(bytes, signal) (a sealed signal to the other side;
 * `signal.t` says which kind), onRemoteStream(stream), onState(state) }.
 */
export function callPeer(options) {
  const pc = new RTCPeerConnection({
    iceServers: options.iceServers,
    iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
  });
  let local;
  let remoteSet = false;
  const early = []; // candidates that arrived before the remote description
  const remote = new MediaStream();

  const emit = async (signal) => options.send(await sealSignal(options.key, signal), signal);
  pc.onicecandidate = (e) => {
    if (e.candidate !== null) void emit({ t: 'candidate', c: e.candidate.toJSON() });
  };
  pc.ontrack = (e) => {
    remote.addTrack(e.track);
    options.onRemoteStream?.(remote);
  };
  pc.onconnectionstatechange = () => options.onState?.(pc.connectionState);

  async function media() {
    local ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: options.video === true });
    for (const track of local.getTracks()) pc.addTrack(track, local);
    return local;
  }
  async function remoteDescription(description) {
    await pc.setRemoteDescription(description);
    remoteSet = true;
    for (const c of early.splice(0)) await pc.addIceCandidate(c);
  }

  return {
    pc,
    get localStream() {
      return local;
    },
    remoteStream: remote,
    /** The caller: the sealed offer (for StartCall). Candidates follow through send(). */
    async offer() {
      await media();
      await pc.setLocalDescription(await pc.createOffer());
      return sealSignal(options.key, { t: 'offer', sdp: pc.localDescription.sdp });
    },
    /** The callee: takes the sealed offer, returns the sealed answer (for AnswerCall). */
    async answer(sealedOffer) {
      const offer = await openSignal(options.key, sealedOffer);
      if (offer?.t !== 'offer') throw new Error('the call offer does not open with this conversation key');
      await remoteDescription({ type: 'offer', sdp: offer.sdp });
      await media();
      await pc.setLocalDescription(await pc.createAnswer());
      return sealSignal(options.key, { t: 'answer', sdp: pc.localDescription.sdp });
    },
    /** A sealed answer or candidate from the other side. Returns false for bytes that do not open. */
    async receive(bytes) {
      const signal = await openSignal(options.key, bytes);
      if (signal === undefined) return false;
      if (signal.t === 'answer') await remoteDescription({ type: 'answer', sdp: signal.sdp });
      else if (signal.t === 'candidate') {
        if (remoteSet) await pc.addIceCandidate(signal.c);
        else early.push(signal.c);
      }
      return true;
    },
    /** The selected candidate pair and media counters, from getStats(). */
    async stats() {
      return summarizeStats(await pc.getStats());
    },
    close() {
      for (const track of local?.getTracks() ?? []) track.stop();
      pc.close();
    },
  };
}

/**
 * What a call's getStats() says: the nominated, succeeded candidate pair (with both candidates'
 * types) and the bytes and packets of the inbound and outbound RTP streams.
 */
export function summarizeStats(report) {
  const byId = new Map();
  report.forEach((s) => byId.set(s.id, s));
  let selectedId;
  byId.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId !== undefined) selectedId = s.selectedCandidatePairId;
  });
  let pair = selectedId === undefined ? undefined : byId.get(selectedId);
  if (pair === undefined)
    byId.forEach((s) => {
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) pair = s;
    });
  const out = {
    pair: undefined,
    inbound: { bytes: 0, packets: 0, kinds: [] },
    outbound: { bytes: 0, packets: 0, kinds: [] },
  };
  if (pair !== undefined) {
    const local = byId.get(pair.localCandidateId);
    const remote = byId.get(pair.remoteCandidateId);
    out.pair = {
      state: pair.state,
      nominated: pair.nominated === true,
      bytesReceived: pair.bytesReceived ?? 0,
      bytesSent: pair.bytesSent ?? 0,
      local: { candidateType: local?.candidateType, protocol: local?.protocol, relayProtocol: local?.relayProtocol },
      remote: { candidateType: remote?.candidateType, protocol: remote?.protocol },
    };
  }
  byId.forEach((s) => {
    const side = s.type === 'inbound-rtp' ? out.inbound : s.type === 'outbound-rtp' ? out.outbound : undefined;
    if (side === undefined) return;
    side.bytes += s.bytesReceived ?? s.bytesSent ?? 0;
    side.packets += s.packetsReceived ?? s.packetsSent ?? 0;
    if (!side.kinds.includes(s.kind)) side.kinds.push(s.kind);
  });
  return out;
}
