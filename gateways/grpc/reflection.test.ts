/**
 * Server reflection as grpcurl and other protoc-based clients need it: each
 * port lists its own services plus health and reflection, and the files it
 * serves follow protoc's rules (named by import path, dependencies declared and
 * served, fully qualified type names, map entries named `<Field>Entry`), with
 * every message and field of the .proto files. test/e2e/grpcurl.test.ts runs
 * grpcurl itself against `guardyn up`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type * as DescriptorNs from 'protobufjs/ext/descriptor/index.js';
import { silentLogger } from '../../runtime/logger.ts';
import { reflect } from '../../test/support/reflection-client.ts';
import { jsonName, mapEntryName } from './descriptors.ts';
import { authService, messagingService, packageDefinition, SERVICE_NAMES } from './proto.ts';
import { reflectedDescriptors } from './reflection.ts';
import { startGrpcServer, type RunningGrpcServer } from './server.ts';

const STANDARD = [
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

type File = DescriptorNs.IFileDescriptorProto;
type Message = DescriptorNs.IDescriptorProto;

/** Every message and enum a file defines, fully qualified with a leading dot. */
function definitions(file: File): Map<string, 'message' | 'enum'> {
  const out = new Map<string, 'message' | 'enum'>();
  const walk = (scope: string, messages: Message[] = [], enums: DescriptorNs.IEnumDescriptorProto[] = []) => {
    for (const e of enums) out.set(`${scope}.${e.name}`, 'enum');
    for (const m of messages) {
      out.set(`${scope}.${m.name}`, 'message');
      walk(`${scope}.${m.name}`, m.nestedType, m.enumType);
    }
  };
  walk(`.${file.package}`, file.messageType, file.enumType);
  return out;
}

/**
 * The rules protoc's descriptor validation (and so grpcurl) applies to what
 * reflection returns; throws naming the first break.
 */
function assertProtocRules(files: readonly File[]): void {
  const byName = new Map(files.map((f) => [f.name!, f]));
  for (const file of files) {
    const visible = definitions(file);
    for (const dep of (file.dependency as string[] | undefined) ?? []) {
      const depFile = byName.get(dep);
      assert.ok(depFile, `${file.name} imports ${dep}, which was not served`);
      for (const [k, v] of definitions(depFile)) visible.set(k, v);
    }
    const checkMessage = (scope: string, m: Message) => {
      const name = `${scope}.${m.name}`;
      for (const f of m.field ?? []) {
        assert.equal(f.jsonName, jsonName(f.name!), `${name}.${f.name} json_name`);
        const type = String(f.type); // decoded with enums as names
        const kind = type === 'TYPE_MESSAGE' ? 'message' : type === 'TYPE_ENUM' ? 'enum' : undefined;
        if (kind === undefined) continue;
        assert.ok(f.typeName?.startsWith('.'), `${name}.${f.name}: type name ${f.typeName} is not fully qualified`);
        assert.equal(
          visible.get(f.typeName!),
          kind,
          `${name}.${f.name}: ${f.typeName} is not a ${kind} of ${file.name} or its imports`,
        );
        const entry = (m.nestedType ?? []).find((n) => `${name}.${n.name}` === f.typeName);
        if (entry?.options?.mapEntry)
          assert.equal(entry.name, mapEntryName(f.name!), `${name}.${f.name}: map entry name`);
      }
      for (const n of m.nestedType ?? []) checkMessage(name, n);
    };
    for (const m of file.messageType ?? []) checkMessage(`.${file.package}`, m);
    for (const s of file.service ?? []) {
      for (const method of s.method ?? []) {
        for (const t of [method.inputType, method.outputType]) {
          assert.equal(
            visible.get(t ?? ''),
            'message',
            `${file.package}.${s.name}/${method.name}: ${t} is not a message of ${file.name} or its imports`,
          );
        }
      }
    }
  }
}

/** The files reflection hands a client for `symbol`, and every file those import, as grpcurl fetches them. */
async function filesFor(address: string, symbol: string): Promise<File[]> {
  const [first] = await reflect(address, [{ file_containing_symbol: symbol }]);
  assert.ok(first?.files, `no files for ${symbol}: ${JSON.stringify(first?.error)}`);
  const files = new Map(first.files.map((f) => [f.name!, f]));
  const wanted = [...files.values()].flatMap((f) => (f.dependency as string[] | undefined) ?? []);
  for (let name = wanted.pop(); name !== undefined; name = wanted.pop()) {
    if (files.has(name)) continue;
    const [byName] = await reflect(address, [{ file_by_filename: name }]);
    assert.ok(byName?.files?.[0], `${name} not served: ${JSON.stringify(byName?.error)}`);
    files.set(name, byName.files[0]);
    wanted.push(...((byName.files[0].dependency as string[] | undefined) ?? []));
  }
  return [...files.values()];
}

describe('server reflection', () => {
  let auth: RunningGrpcServer;
  let messaging: RunningGrpcServer;
  const address = (s: RunningGrpcServer) => `127.0.0.1:${s.port}`;

  before(async () => {
    auth = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      services: [{ definition: authService, implementation: {} }],
    });
    messaging = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      services: [{ definition: messagingService, implementation: {} }],
    });
  });
  after(async () => {
    await auth?.stop();
    await messaging?.stop();
  });

  test('each port lists exactly its services, health and reflection', async () => {
    const [onAuth] = await reflect(address(auth), [{ list_services: '*' }]);
    assert.deepEqual(onAuth?.services?.sort(), [...STANDARD, SERVICE_NAMES.auth].sort());
    const [onMessaging] = await reflect(address(messaging), [{ list_services: '*' }]);
    assert.deepEqual(onMessaging?.services?.sort(), [...STANDARD, SERVICE_NAMES.messaging].sort());
  });

  test('a service, its messages and what they import from common.proto resolve as protoc would', async () => {
    const files = await filesFor(address(auth), SERVICE_NAMES.auth);
    assert.deepEqual(files.map((f) => f.name).sort(), ['guardyn/auth.proto', 'guardyn/common.proto']);
    assert.deepEqual(files.find((f) => f.name === 'guardyn/auth.proto')?.dependency, ['guardyn/common.proto']);
    assertProtocRules(files);
    const register = files
      .find((f) => f.name === 'guardyn/auth.proto')!
      .messageType!.find((m) => m.name === 'RegisterRequest')!;
    assert.equal(register.field!.find((f) => f.name === 'key_bundle')!.typeName, '.guardyn.common.KeyBundle');

    const keyBundle = await filesFor(address(auth), 'guardyn.common.KeyBundle');
    assert.deepEqual(
      keyBundle.map((f) => f.name),
      ['guardyn/common.proto'],
    );
    assertProtocRules(keyBundle);
    const errorResponse = keyBundle[0]!.messageType!.find((m) => m.name === 'ErrorResponse')!;
    assert.equal(
      errorResponse.field!.find((f) => f.name === 'details')!.typeName,
      '.guardyn.common.ErrorResponse.DetailsEntry',
    );
  });

  test('health and reflection are described too', async () => {
    const health = await filesFor(address(messaging), 'grpc.health.v1.Health');
    assert.deepEqual(
      health.map((f) => f.name),
      ['grpc/health/v1/health.proto'],
    );
    assertProtocRules(health);
    const reflection = await filesFor(address(messaging), 'grpc.reflection.v1.ServerReflection');
    assertProtocRules(reflection);
  });

  test('a service of another port is not found here', async () => {
    const [answer] = await reflect(address(auth), [{ file_containing_symbol: SERVICE_NAMES.media }]);
    assert.equal(answer?.error?.error_code, grpc.status.NOT_FOUND);
    const [byName] = await reflect(address(auth), [{ file_by_filename: 'guardyn/media.proto' }]);
    assert.equal(byName?.error?.error_code, grpc.status.NOT_FOUND);
  });

  test('a port whose service has no descriptor still lists health and reflection', async () => {
    const bare = await startGrpcServer({ host: '127.0.0.1', port: 0, logger: silentLogger, services: [] });
    try {
      const [listed] = await reflect(address(bare), [{ list_services: '*' }]);
      assert.deepEqual(listed?.services?.sort(), [...STANDARD].sort());
    } finally {
      await bare.stop();
    }
  });
});

describe('reflected descriptors', () => {
  test("every file follows protoc's rules", () => {
    assertProtocRules(reflectedDescriptors().files.map((f) => JSON.parse(JSON.stringify(f)) as File));
  });

  test('every message and field of the .proto files is described, with the same numbers and labels', () => {
    const files = reflectedDescriptors().files.map((f) => JSON.parse(JSON.stringify(f)) as File);
    const described = new Map<string, Message>();
    const walk = (scope: string, messages: Message[] = []) => {
      for (const m of messages) {
        described.set(`${scope}.${m.name}`, m);
        walk(`${scope}.${m.name}`, m.nestedType);
      }
    };
    for (const f of files) walk(f.package!, f.messageType);
    let compared = 0;
    for (const [name, def] of Object.entries(packageDefinition)) {
      if (!('format' in def) || def.format !== 'Protocol Buffer 3 DescriptorProto') continue;
      const loaded = def.type as { field: Array<{ name: string; number: number; label: string }> };
      const ours = described.get(name);
      assert.ok(ours, `${name} is not described`);
      assert.deepEqual(
        (ours.field ?? []).map((f) => [f.name, f.number, f.label]),
        loaded.field.map((f) => [f.name, f.number, f.label]),
        name,
      );
      compared++;
    }
    assert.ok(compared > 100, `compared ${compared} messages`);
  });

  test('map entry and JSON names follow protoc', () => {
    assert.equal(mapEntryName('details'), 'DetailsEntry');
    assert.equal(mapEntryName('http_headers'), 'HttpHeadersEntry');
    assert.equal(jsonName('access_token'), 'accessToken');
    assert.equal(jsonName('one_time_pre_keys'), 'oneTimePreKeys');
    assert.equal(jsonName('seq'), 'seq');
  });
});
