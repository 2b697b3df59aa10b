/**
 * Commit bodies of the binary envelope written by hand (streams/envelope.ts), for tests of the
 * readers that take a body on its bytes: JSON laid out other than `encodeBody` writes it.
 */

/** A body around hand-written events JSON, with attachments of the given lengths (bytes 0x41). */
export function handBody(eventsJson: string, att: readonly number[] = []): Uint8Array {
  const json = Buffer.from(
    `{"v":2,"commandId":"c","command":"C","correlationId":"x","causationId":"x","actor":null,"at":1,"events":[${eventsJson}],"att":${JSON.stringify(att)}}`,
  );
  const total = att.reduce((a, b) => a + b, 0);
  const body = Buffer.alloc(5 + json.length + total, 0x41);
  body[0] = 2;
  body.writeUInt32BE(json.length, 1);
  json.copy(body, 5);
  return body;
}
