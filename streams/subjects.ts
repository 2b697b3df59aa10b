/**
 * Subject names of the five streams. Every subject token that comes from input
 * is checked here, so no caller can build a subject with wildcards or dots.
 */
import { createHash } from 'node:crypto';

export const STREAMS = {
  accounts: 'ACCOUNTS',
  messages: 'MESSAGES',
  presence: 'PRESENCE',
  media: 'MEDIA',
  notifications: 'NOTIFICATIONS',
  /** One-to-one calls: lifecycle only (docs/CALLS.md). */
  calls: 'CALLS',
  /** Signed checkpoints of the truth streams' hash chains (audit/checkpoints.ts). */
  audit: 'AUDIT',
} as const;
export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export class SubjectTokenError extends Error {
  override readonly name = 'SubjectTokenError';
}

/** A subject token must be 1..128 of [A-Za-z0-9_-]: no dots, wildcards or spaces. */
export function token(value: string, what: string): string {
  if (!TOKEN.test(value)) throw new SubjectTokenError(`${what} ${JSON.stringify(value)} is not a valid subject token`);
  return value;
}

/**
 * Usernames are unique case-insensitively, and the log must not hold them in
 * the clear: a username's subject token is the SHA-256 (hex) of its lower-case
 * form. Distinct names never share a subject, and the name itself stays out of
 * subjects, headers and stream listings (it is a pseudonym, not a secret: a
 * known name can be hashed and found; see docs/adr/0024-usernames-on-the-log-are-hashes.md).
 */
export function usernameToken(username: string): string {
  if (username.length === 0) throw new SubjectTokenError('username "" is not a valid subject token');
  return createHash('sha256').update(username.toLowerCase(), 'utf8').digest('hex');
}

/** Every user's presence subject (a filter of the PRESENCE stream). */
export const PRESENCE_SUBJECTS = 'presence.user.>';

/** The subjects of the 1:1 conversations (MESSAGES): `messages.conv.<conversation id>`. */
export const CONVERSATION_SUBJECT_PREFIX = 'messages.conv.';
/** The subjects of the groups (MESSAGES): `messages.group.<group id>`. */
export const GROUP_SUBJECT_PREFIX = 'messages.group.';

export const subjects = {
  user: (userId: string) => `accounts.user.${token(userId, 'user id')}`,
  username: (username: string) => `accounts.username.${usernameToken(username)}`,
  device: (userId: string, deviceId: string) =>
    `accounts.device.${token(userId, 'user id')}.${token(deviceId, 'device id')}`,
  conversation: (conversationId: string) => `${CONVERSATION_SUBJECT_PREFIX}${token(conversationId, 'conversation id')}`,
  group: (groupId: string) => `${GROUP_SUBJECT_PREFIX}${token(groupId, 'group id')}`,
  presence: (userId: string) => `presence.user.${token(userId, 'user id')}`,
  media: (mediaId: string) => `media.object.${token(mediaId, 'media id')}`,
  push: (userId: string, deviceId: string) =>
    `notifications.push.${token(userId, 'user id')}.${token(deviceId, 'device id')}`,
  /** Push jobs that failed beyond the retry limit, with their reason (kept by the stream's age limit). */
  pushParked: (userId: string, deviceId: string) =>
    `notifications.parked.${token(userId, 'user id')}.${token(deviceId, 'device id')}`,
  call: (callId: string) => `calls.call.${token(callId, 'call id')}`,
  /** Core NATS, not stored: call events and signals for a user's devices (streams/call-signals.ts). */
  callUser: (userId: string) => `calls.user.${token(userId, 'user id')}`,
  auditCheckpoint: (stream: string) => `audit.checkpoint.${token(stream, 'stream')}`,
} as const;
