// The messages of the Guardyn contract (proto/guardyn/*.proto) the web client
// uses, as schemas for protobuf.js: only the fields it reads or writes.

const Timestamp = { 1: ['seconds', 'varint'], 2: ['nanos', 'varint'] };
const ERROR_CODES = [
  'UNKNOWN',
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
];
const ErrorResponse = { 1: ['code', ERROR_CODES], 2: ['message', 'string'] };
const KeyBundle = {
  1: ['identity_key', 'bytes'],
  2: ['signed_pre_key', 'bytes'],
  3: ['signed_pre_key_signature', 'bytes'],
  4: ['one_time_pre_keys', 'bytes', 'repeated'],
};
const DELIVERY = ['PENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED'];
const MESSAGE_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'AUDIO', 'FILE', 'VOICE_NOTE', 'LOCATION'];
const Message = {
  1: ['message_id', 'string'],
  2: ['sender_user_id', 'string'],
  3: ['sender_device_id', 'string'],
  4: ['recipient_user_id', 'string'],
  6: ['encrypted_content', 'bytes'],
  7: ['message_type', MESSAGE_TYPES],
  8: ['client_message_id', 'string'],
  10: ['server_timestamp', Timestamp],
  11: ['delivery_status', DELIVERY],
  13: ['is_deleted', 'bool'],
  16: ['seq', 'varint'],
};
const Session = {
  1: ['user_id', 'string'],
  2: ['device_id', 'string'],
  3: ['access_token', 'string'],
  4: ['access_token_expires_in', 'varint'],
  5: ['refresh_token', 'string'],
};
const result = (success) => ({ 1: ['success', success], 2: ['error', ErrorResponse] });

/** Per method: its path and request and response schemas. */
export const METHODS = {
  Register: {
    path: '/guardyn.auth.AuthService/Register',
    request: {
      1: ['username', 'string'],
      2: ['password', 'string'],
      3: ['email', 'string'],
      4: ['device_name', 'string'],
      5: ['device_type', 'string'],
      6: ['key_bundle', KeyBundle],
    },
    response: result(Session),
  },
  Login: {
    path: '/guardyn.auth.AuthService/Login',
    request: {
      1: ['username', 'string'],
      2: ['password', 'string'],
      3: ['device_id', 'string'],
      4: ['device_name', 'string'],
      5: ['device_type', 'string'],
      6: ['key_bundle', KeyBundle],
    },
    response: result(Session),
  },
  RefreshToken: {
    path: '/guardyn.auth.AuthService/RefreshToken',
    request: { 1: ['refresh_token', 'string'] },
    response: result({
      1: ['access_token', 'string'],
      2: ['access_token_expires_in', 'varint'],
      3: ['refresh_token', 'string'],
    }),
  },
  SearchUsers: {
    path: '/guardyn.auth.AuthService/SearchUsers',
    request: { 2: ['query', 'string'], 3: ['limit', 'varint'] },
    response: result({ 1: ['users', { 1: ['user_id', 'string'], 2: ['username', 'string'] }, 'repeated'] }),
  },
  GetKeyBundle: {
    path: '/guardyn.auth.AuthService/GetKeyBundle',
    request: { 1: ['user_id', 'string'], 2: ['device_id', 'string'] },
    response: result({ 1: ['user_id', 'string'], 2: ['device_id', 'string'], 3: ['key_bundle', KeyBundle] }),
  },
  GetUserProfile: {
    path: '/guardyn.auth.AuthService/GetUserProfile',
    request: { 1: ['user_id', 'string'] },
    response: result({ 1: ['user_id', 'string'], 2: ['username', 'string'] }),
  },
  GetMessages: {
    path: '/guardyn.messaging.MessagingService/GetMessages',
    request: { 2: ['conversation_user_id', 'string'], 7: ['limit', 'varint'] },
    response: result({ 1: ['messages', Message, 'repeated'], 3: ['has_more', 'bool'] }),
  },
};
