/**
 * Request factories for `bench auth`: logins of the bench users (each on its
 * already enrolled device, so a login starts a session and adds no device) and
 * ValidateToken calls over their access tokens.
 */
import type { RequestBuilderFactory } from './load.ts';

export interface AuthBenchUser {
  readonly username: string;
  readonly password: string;
  readonly deviceId: string;
  readonly token: string;
}

export const makeLoginRequest: RequestBuilderFactory = (ctx) => {
  const users = ctx.arg as AuthBenchUser[];
  return (i) => {
    const u = users[i % users.length]!;
    return {
      username: u.username,
      password: u.password,
      device_id: u.deviceId,
      device_name: 'bench',
      device_type: 'bench',
    };
  };
};

export const makeValidateRequest: RequestBuilderFactory = (ctx) => {
  const users = ctx.arg as AuthBenchUser[];
  const requests = users.map((u) => ({ access_token: u.token }));
  return (i) => requests[i % requests.length]!;
};
