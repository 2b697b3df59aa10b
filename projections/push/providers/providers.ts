/** The push providers a configuration names, with their credential files read (a bad file stops the start naming it). */
import fs from 'node:fs';
import { ConfigError } from '../../../runtime/config.ts';
import type { NotificationsConfig } from '../../../runtime/config-notifications.ts';
import type { PushPlatform } from '../../../streams/events/push.ts';
import { ApnsProvider } from './apns.ts';
import { FcmProvider, parseServiceAccount } from './fcm.ts';
import type { PushProvider } from './provider.ts';

function readFile(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${variable}: cannot read ${file}: ${(err as Error).message}`);
  }
}

export function providersFromConfig(config: NotificationsConfig): Partial<Record<PushPlatform, PushProvider>> {
  const providers: Partial<Record<PushPlatform, PushProvider>> = {};
  if (config.fcm) {
    const variable = 'GUARDYN_NOTIFICATIONS__FCM_SERVICE_ACCOUNT_FILE';
    let serviceAccount;
    try {
      serviceAccount = parseServiceAccount(
        readFile(config.fcm.serviceAccountFile, variable),
        config.fcm.serviceAccountFile,
      );
    } catch (err) {
      throw err instanceof ConfigError ? err : new ConfigError(`${variable}: ${(err as Error).message}`);
    }
    providers.fcm = new FcmProvider({
      serviceAccount,
      ...(config.fcm.endpoint ? { endpoint: config.fcm.endpoint } : {}),
      ...(config.fcm.tokenUri ? { tokenUri: config.fcm.tokenUri } : {}),
      timeoutMs: config.providerTimeoutMs,
    });
  }
  if (config.apns) {
    const key = readFile(config.apns.keyFile, 'GUARDYN_NOTIFICATIONS__APNS_KEY_FILE');
    if (!key.includes('-----BEGIN PRIVATE KEY-----'))
      throw new ConfigError(
        `GUARDYN_NOTIFICATIONS__APNS_KEY_FILE: ${config.apns.keyFile} is not a PKCS#8 PEM (.p8) key`,
      );
    providers.apns = new ApnsProvider({
      key,
      keyId: config.apns.keyId,
      teamId: config.apns.teamId,
      topic: config.apns.topic,
      endpoints: {
        ...(config.apns.endpoint ? { production: config.apns.endpoint } : {}),
        ...(config.apns.sandboxEndpoint ? { sandbox: config.apns.sandboxEndpoint } : {}),
      },
      timeoutMs: config.providerTimeoutMs,
    });
  }
  return providers;
}
