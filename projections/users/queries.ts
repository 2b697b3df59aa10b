/** Reads of the users view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { userRecord, usernameRecord, usersKeys, type UserRecord } from './schema.ts';

export class UsersView {
  constructor(private readonly kv: KvStore) {}

  async byId(userId: string): Promise<UserRecord | undefined> {
    const raw = await this.kv.get(usersKeys.byId(userId));
    return raw ? userRecord.decode(raw) : undefined;
  }

  async idByUsername(username: string): Promise<string | undefined> {
    const raw = await this.kv.get(usersKeys.byName(username));
    return raw ? usernameRecord.decode(raw).userId : undefined;
  }

  async usernamesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const raws = await this.kv.getMany(userIds.map((id) => usersKeys.byId(id)));
    const out = new Map<string, string>();
    raws.forEach((raw, i) => raw && out.set(userIds[i]!, userRecord.decode(raw).username));
    return out;
  }
}
