// A tiny protobuf (proto3) codec for the few messages the web client uses.
// A schema maps field numbers to [name, type, 'repeated'?]; a type is
// 'string' | 'bytes' | 'varint' | 'bool', an array of enum value names, or a
// nested schema. Absent and default values are not written (proto3); unknown
// fields are skipped when reading. No code generation, no eval.

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: false });

/** @param {number} value a whole number 0 <= value < 2^53 */
function pushVarint(out, value) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint: ${value}`);
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

function isDefault(type, value) {
  if (value === undefined || value === null) return true;
  if (type === 'string') return value === '';
  if (type === 'bytes') return value.length === 0;
  if (type === 'varint') return value === 0;
  if (type === 'bool') return value === false;
  if (Array.isArray(type)) return value === 0 || value === type[0];
  return false;
}

function writeField(out, number, type, value) {
  if (type === 'string' || type === 'bytes' || (typeof type === 'object' && !Array.isArray(type))) {
    const bytes = type === 'string' ? utf8.encode(value) : type === 'bytes' ? value : encode(type, value);
    pushVarint(out, number * 8 + WIRE_LEN);
    pushVarint(out, bytes.length);
    for (const b of bytes) out.push(b);
    return;
  }
  let n = value;
  if (type === 'bool') n = value ? 1 : 0;
  else if (Array.isArray(type)) n = typeof value === 'number' ? value : type.indexOf(value);
  if (n < 0) throw new RangeError(`unknown enum value ${value}`);
  pushVarint(out, number * 8 + WIRE_VARINT);
  pushVarint(out, n);
}

/** Encodes `obj` (field names as in the .proto) with `schema`. */
export function encode(schema, obj) {
  const out = [];
  for (const number of Object.keys(schema).map(Number).sort((a, b) => a - b)) {
    const [name, type, repeated] = schema[number];
    const value = obj[name];
    if (repeated === 'repeated') {
      for (const item of value ?? []) writeField(out, number, type, item);
    } else if (!isDefault(type, value)) {
      writeField(out, number, type, value);
    }
  }
  return Uint8Array.from(out);
}

function readVarint(bytes, pos) {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos.at >= bytes.length) throw new RangeError('truncated varint');
    const b = bytes[pos.at++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return value;
    scale *= 0x80;
  }
  throw new RangeError('varint longer than 10 bytes');
}

/** Decodes `bytes` with `schema`; repeated fields are arrays (empty when absent), other absent fields are left out. */
export function decode(schema, bytes) {
  const obj = {};
  for (const [name, , repeated] of Object.values(schema)) if (repeated === 'repeated') obj[name] = [];
  const pos = { at: 0 };
  while (pos.at < bytes.length) {
    const key = readVarint(bytes, pos);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    let raw;
    if (wire === WIRE_VARINT) raw = readVarint(bytes, pos);
    else if (wire === WIRE_LEN) {
      const length = readVarint(bytes, pos);
      if (pos.at + length > bytes.length) throw new RangeError('truncated field');
      raw = bytes.subarray(pos.at, pos.at + length);
      pos.at += length;
    } else if (wire === WIRE_I64 || wire === WIRE_I32) {
      pos.at += wire === WIRE_I64 ? 8 : 4;
      if (pos.at > bytes.length) throw new RangeError('truncated field');
      continue; // no fixed-width fields in the schemas used here
    } else throw new RangeError(`unsupported wire type ${wire}`);
    const spec = schema[number];
    if (spec === undefined) continue;
    const [name, type, repeated] = spec;
    const expected = type === 'string' || type === 'bytes' || (typeof type === 'object' && !Array.isArray(type)) ? WIRE_LEN : WIRE_VARINT;
    if (wire !== expected) throw new RangeError(`field ${name} (${number}) has wire type ${wire}, expected ${expected}`);
    let value;
    if (type === 'string') value = fromUtf8.decode(raw);
    else if (type === 'bytes') value = raw.slice();
    else if (type === 'varint') value = raw;
    else if (type === 'bool') value = raw !== 0;
    else if (Array.isArray(type)) value = type[raw] ?? raw;
    else value = decode(type, raw);
    if (repeated === 'repeated') obj[name].push(value);
    else obj[name] = value;
  }
  return obj;
}
