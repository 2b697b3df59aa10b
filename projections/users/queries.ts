/** Reads of the users view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import { userRecord, usernameRecord, usersKeys, type UserRecord } from './schema.ts';

/** One entry of the username index: the lower-case name and its user. */
export interface UsernameEntry {
  readonly name: string;
  readonly userId: string;
}

export class UsersView {
  constructor(private readonly kv: KvStore) {}

  async byId(userId: string): Promise<UserRecord | undefined> {
    const raw = await this.kv.get(usersKeys.byId(userId));
    return raw ? userRecord.decode(raw) : undefined;
  }

  /** Whether the view knows the user, without decoding the record. */
  async has(userId: string): Promise<boolean> {
    return (await this.kv.get(usersKeys.byId(userId))) !== undefined;
  }

  async idByUsername(username: string): Promise<string | undefined> {
    const raw = await this.kv.get(usersKeys.byName(username));
    return raw ? usernameRecord.decode(raw).userId : undefined;
  }

  /**
   * Usernames starting with `prefix` (case-insensitive), in lower-case name
   * order, after the name `after` (exclusive) when given: a range scan of the
   * name index, reading only the rows returned.
   */
  async namesWithPrefix(
    prefix: string,
    options: { readonly after?: string; readonly limit: number },
  ): Promise<UsernameEntry[]> {
    const start = usersKeys.byName(prefix);
    const end = prefixEnd(start);
    // The smallest key after `after`'s own key: its key followed by one 0x00 byte.
    const from = options.after === undefined ? start : Buffer.concat([usersKeys.byName(options.after), Buffer.of(0)]);
    const base = usersKeys.byName('').length;
    const rows = await this.kv.scan({ start: from, end, limit: options.limit });
    return rows.map((r) => ({
      name: Buffer.from(r.key.subarray(base)).toString('utf8'),
      userId: usernameRecord.decode(r.value).userId,
    }));
  }

  /** Records of several users, in the order of `userIds`; undefined where absent. */
  async byIds(userIds: readonly string[]): Promise<(UserRecord | undefined)[]> {
    const raws = await this.kv.getMany(userIds.map((id) => usersKeys.byId(id)));
    return raws.map((raw) => (raw ? userRecord.decode(raw) : undefined));
  }

  async usernamesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const raws = await this.kv.getMany(userIds.map((id) => usersKeys.byId(id)));
    const out = new Map<string, string>();
    raws.forEach((raw, i) => raw && out.set(userIds[i]!, userRecord.decode(raw).username));
    return out;
  }
}
