/** Durable consumers by name: what tools outside the projection runtime need of them. */
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';

/** Deletes a durable consumer; false when there was none. Other failures are thrown. */
export async function deleteDurable(
  log: { readonly jsm: JetStreamManager },
  stream: string,
  name: string,
): Promise<boolean> {
  try {
    await log.jsm.consumers.delete(stream, name);
    return true;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return false;
    throw err;
  }
}
