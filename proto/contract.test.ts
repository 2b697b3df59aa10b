// Checks the .proto files in this directory against the guardyn wire contract.
//
// Two sources of truth are checked:
// - proto/contract-facts.json: the contract's facts (services, RPCs with
//   streaming flags, message fields, enum values), committed so the test
//   runs on machines without the shared/ checkout;
// - shared/api/WIRE-CONTRACT.md (next to the repository), parsed afresh when
//   it exists; the committed facts must then equal the parsed ones.
//
// Every contract RPC, field (name, number, type, repeated/map, oneof) and enum
// value must exist unchanged in the proto files. Additive extensions (new
// fields, RPCs, enum values) are allowed and are listed in EXTENSIONS below.
//
// Regenerate the committed facts after a contract update with
//   UPDATE_CONTRACT_FACTS=1 node --import tsx --test proto/contract.test.ts

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import type * as ProtobufNs from 'protobufjs';

// protobufjs is a dependency of @grpc/proto-loader, not of this project, so
// resolve it from proto-loader's location rather than from here.
const requireHere = createRequire(import.meta.url);
const protobuf = createRequire(requireHere.resolve('@grpc/proto-loader'))('protobufjs') as typeof ProtobufNs;

const PROTO_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(PROTO_DIR, '..');
const CONTRACT_PATH =
  process.env.GUARDYN_WIRE_CONTRACT ?? path.resolve(REPO_ROOT, '..', 'shared', 'api', 'WIRE-CONTRACT.md');
const FACTS_PATH = path.join(PROTO_DIR, 'contract-facts.json');

const PROTO_FILES: Record<string, string> = {
  'guardyn/common.proto': 'guardyn.common',
  'guardyn/auth.proto': 'guardyn.auth',
  'guardyn/messaging.proto': 'guardyn.messaging',
  'guardyn/presence.proto': 'guardyn.presence',
  'guardyn/media.proto': 'guardyn.media',
};

// ---------------------------------------------------------------------------
// Contract facts and the parser for WIRE-CONTRACT.md
// ---------------------------------------------------------------------------

interface FieldFact {
  number: number;
  /** Scalar name, or the fully qualified message/enum name (no leading dot); for maps the value type. */
  type: string;
  repeated: boolean;
  map: boolean;
  /** Only for maps. */
  keyType?: string;
  /** Name of the oneof the field belongs to, or null. */
  oneof: string | null;
}
interface RpcFact {
  requestType: string;
  requestStream: boolean;
  responseType: string;
  responseStream: boolean;
}
interface ContractFacts {
  packages: string[];
  services: Record<string, { package: string; rpcs: Record<string, RpcFact> }>;
  messages: Record<string, { fields: Record<string, FieldFact> }>;
  enums: Record<string, { values: Record<string, number> }>;
}

const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/**
 * Parses the `## package` / `## service` sections of the wire contract.
 * Type references are resolved with protobuf scoping rules (innermost scope
 * first), so `Timestamp` inside guardyn.common, `common.KeyBundle` inside
 * guardyn.auth and `ErrorCode` inside ErrorResponse all become fully
 * qualified names. Any unrecognised `- ` line inside those sections throws,
 * so a contract change can't be skipped silently.
 */
function parseContract(text: string): ContractFacts {
  const packages: string[] = [];
  const services: ContractFacts['services'] = {};
  const messages: ContractFacts['messages'] = {};
  const enums: ContractFacts['enums'] = {};
  const rawMessages: { name: string; body: string; line: number }[] = [];
  const rawRpcs: {
    service: string;
    name: string;
    req: string;
    reqStream: boolean;
    res: string;
    resStream: boolean;
    line: number;
  }[] = [];

  let pkg: string | null = null;
  let service: string | null = null;
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    let m: RegExpExecArray | null;
    if ((m = /^## package ([\w.]+)\s*$/.exec(line))) {
      pkg = m[1]!;
      service = null;
      packages.push(pkg);
      return;
    }
    if ((m = /^## service ([\w.]+)\s*$/.exec(line))) {
      service = m[1]!;
      pkg = service.slice(0, service.lastIndexOf('.'));
      packages.push(pkg);
      services[service] = { package: pkg, rpcs: {} };
      return;
    }
    if (line.startsWith('## ')) {
      pkg = null; // e.g. the WebSocket section: not part of the proto contract
      service = null;
      return;
    }
    if (pkg === null || !line.startsWith('- ')) return;
    // Prose bullets (e.g. identifiers the clients compute) are not definitions; a line shaped like one must parse.
    if (!/^- (\w+ \w+(\.\w+)+:|\w+\()/.test(line)) return;

    if ((m = /^- msg ([\w.]+):(.*)$/.exec(line))) {
      rawMessages.push({ name: m[1]!, body: m[2]!.trim(), line: lineNo });
      return;
    }
    if ((m = /^- enum ([\w.]+):(.*)$/.exec(line))) {
      const values: Record<string, number> = {};
      for (const part of m[2]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const v = /^(\w+)=(\d+)$/.exec(part);
        if (!v) throw new Error(`contract line ${lineNo}: bad enum value "${part}"`);
        values[v[1]!] = Number(v[2]);
      }
      enums[m[1]!] = { values };
      return;
    }
    if (service !== null && (m = /^- (\w+)\((stream )?([\w.]+)\) → (stream )?([\w.]+)\s*$/.exec(line))) {
      rawRpcs.push({
        service,
        name: m[1]!,
        reqStream: !!m[2],
        req: m[3]!,
        resStream: !!m[4],
        res: m[5]!,
        line: lineNo,
      });
      return;
    }
    throw new Error(`contract line ${lineNo}: unrecognised line: ${line}`);
  });

  const known = new Set([...rawMessages.map((x) => x.name), ...Object.keys(enums)]);
  const resolve = (ref: string, scope: string, where: string): string => {
    if (SCALARS.has(ref)) return ref;
    const parts = scope.split('.');
    for (let n = parts.length; n >= 0; n--) {
      const candidate = [...parts.slice(0, n), ref].join('.');
      if (known.has(candidate)) return candidate;
    }
    throw new Error(`${where}: cannot resolve type "${ref}" from scope ${scope}`);
  };

  for (const { name, body, line } of rawMessages) {
    const fields: Record<string, FieldFact> = {};
    if (body) {
      for (const part of body.split(/,\s*(?=\w+=)/)) {
        const f = /^(\w+)=(\d+):(repeated )?(?:map<(\w+),\s*([\w.]+)>|([\w.]+))(?:\{(\w+)\})?$/.exec(part.trim());
        if (!f) throw new Error(`contract line ${line}: bad field "${part}"`);
        const [, fieldName, num, rep, mapKey, mapValue, plainType, oneof] = f;
        if (fieldName! in fields) throw new Error(`contract line ${line}: duplicate field ${fieldName}`);
        fields[fieldName!] = {
          number: Number(num),
          type: resolve((mapValue ?? plainType)!, name, `contract line ${line}`),
          repeated: !!rep,
          map: !!mapKey,
          ...(mapKey ? { keyType: mapKey } : {}),
          oneof: oneof ?? null,
        };
      }
    }
    messages[name] = { fields };
  }
  for (const r of rawRpcs) {
    const scope = services[r.service]!.package;
    services[r.service]!.rpcs[r.name] = {
      requestType: resolve(r.req, scope, `contract line ${r.line}`),
      requestStream: r.reqStream,
      responseType: resolve(r.res, scope, `contract line ${r.line}`),
      responseStream: r.resStream,
    };
  }
  return { packages: [...new Set(packages)], services, messages, enums };
}

/** JSON with every leaf object on one line, so the facts file diffs one field per line. */
function formatFacts(facts: ContractFacts): string {
  return (
    JSON.stringify(facts, null, 2).replace(
      /\{\n\s*([^{}[\]]*?)\n\s*\}/g,
      (_all, body: string) => `{ ${body.split(/,\n\s*/).join(', ')} }`,
    ) + '\n'
  );
}

// ---------------------------------------------------------------------------
// Project extensions (additive, not in the upstream contract)
// ---------------------------------------------------------------------------

const EXTENSIONS: Record<string, Record<string, Pick<FieldFact, 'number' | 'type'>>> = {
  'guardyn.media.GetUploadUrlRequest': { checksum_sha256: { number: 5, type: 'string' } },
  'guardyn.media.UploadMediaResponse': { error: { number: 5, type: 'guardyn.common.ErrorResponse' } },
  'guardyn.common.ConsistencyToken': {
    stream: { number: 1, type: 'string' },
    seq: { number: 2, type: 'uint64' },
  },
  'guardyn.auth.RegisterSuccess': { consistency: { number: 8, type: 'guardyn.common.ConsistencyToken' } },
  'guardyn.auth.LoginSuccess': { consistency: { number: 9, type: 'guardyn.common.ConsistencyToken' } },
  'guardyn.messaging.SendMessageSuccess': {
    consistency: { number: 4, type: 'guardyn.common.ConsistencyToken' },
    conversation_id: { number: 5, type: 'string' },
  },
  'guardyn.messaging.Message': {
    conversation_id: { number: 15, type: 'string' },
    seq: { number: 16, type: 'uint64' },
  },
  'guardyn.messaging.GetMessagesRequest': {
    min_seq: { number: 8, type: 'uint64' },
    cursor: { number: 9, type: 'string' },
  },
  'guardyn.messaging.GetMessagesSuccess': {
    next_cursor: { number: 4, type: 'string' },
    stale: { number: 5, type: 'bool' },
  },
  'guardyn.messaging.GetGroupMessagesRequest': {
    min_seq: { number: 7, type: 'uint64' },
    cursor: { number: 8, type: 'string' },
  },
  'guardyn.messaging.GetGroupMessagesSuccess': {
    next_cursor: { number: 3, type: 'string' },
    has_more: { number: 4, type: 'bool' },
    stale: { number: 5, type: 'bool' },
  },
};

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

const contractText = fs.existsSync(CONTRACT_PATH) ? fs.readFileSync(CONTRACT_PATH, 'utf8') : null;
const liveFacts = contractText === null ? null : parseContract(contractText);
if (liveFacts && process.env.UPDATE_CONTRACT_FACTS === '1') {
  fs.writeFileSync(FACTS_PATH, formatFacts(liveFacts));
}
const committedFacts = JSON.parse(fs.readFileSync(FACTS_PATH, 'utf8')) as ContractFacts;

function loadProtobufRoot(): ProtobufNs.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.resolve(PROTO_DIR, target);
  root.loadSync(Object.keys(PROTO_FILES), { keepCase: true });
  root.resolveAll();
  return root;
}
const root = loadProtobufRoot();

const packageDefinition = protoLoader.loadSync(Object.keys(PROTO_FILES), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
});
const grpcObject = grpc.loadPackageDefinition(packageDefinition);

const fqName = (t: ProtobufNs.ReflectionObject): string => t.fullName.replace(/^\./, '');

function describeProtoField(field: ProtobufNs.Field): FieldFact {
  field.resolve();
  const isMap = field instanceof protobuf.MapField;
  return {
    number: field.id,
    type: field.resolvedType ? fqName(field.resolvedType) : field.type,
    repeated: !!field.repeated,
    map: isMap,
    ...(isMap ? { keyType: (field as ProtobufNs.MapField).keyType } : {}),
    oneof: field.partOf ? field.partOf.name : null,
  };
}

function lookupGrpcService(fullName: string): grpc.ServiceClientConstructor | undefined {
  let node: unknown = grpcObject;
  for (const part of fullName.split('.')) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return typeof node === 'function' && 'service' in node ? (node as grpc.ServiceClientConstructor) : undefined;
}

// ---------------------------------------------------------------------------
// Checks; each returns the list of mismatches so a failure shows all of them
// ---------------------------------------------------------------------------

function serviceProblems(facts: ContractFacts): string[] {
  const problems: string[] = [];
  for (const [serviceName, service] of Object.entries(facts.services)) {
    const reflected = root.lookup(serviceName);
    const client = lookupGrpcService(serviceName);
    if (!(reflected instanceof protobuf.Service)) problems.push(`service ${serviceName}: missing in proto`);
    if (!client) problems.push(`service ${serviceName}: not loaded by @grpc/grpc-js`);
    for (const [rpcName, rpc] of Object.entries(service.rpcs)) {
      const where = `${serviceName}/${rpcName}`;
      if (reflected instanceof protobuf.Service) {
        const method = reflected.methods[rpcName];
        if (!method) {
          problems.push(`${where}: RPC missing in proto`);
        } else {
          method.resolve();
          const actual: RpcFact = {
            requestType: method.resolvedRequestType ? fqName(method.resolvedRequestType) : method.requestType,
            requestStream: !!method.requestStream,
            responseType: method.resolvedResponseType ? fqName(method.resolvedResponseType) : method.responseType,
            responseStream: !!method.responseStream,
          };
          try {
            assert.deepEqual(actual, rpc);
          } catch {
            problems.push(`${where}: proto ${JSON.stringify(actual)} != contract ${JSON.stringify(rpc)}`);
          }
        }
      }
      if (client) {
        const def = client.service[rpcName];
        if (!def) {
          problems.push(`${where}: RPC missing in @grpc/grpc-js service definition`);
        } else {
          if (def.path !== `/${serviceName}/${rpcName}`) problems.push(`${where}: grpc path is ${def.path}`);
          if (def.requestStream !== rpc.requestStream || def.responseStream !== rpc.responseStream) {
            problems.push(
              `${where}: grpc streaming flags request=${def.requestStream} response=${def.responseStream}, contract request=${rpc.requestStream} response=${rpc.responseStream}`,
            );
          }
        }
      }
    }
  }
  return problems;
}

function messageProblems(facts: ContractFacts): string[] {
  const problems: string[] = [];
  for (const [messageName, message] of Object.entries(facts.messages)) {
    const type = root.lookup(messageName);
    if (!(type instanceof protobuf.Type)) {
      problems.push(`message ${messageName}: missing in proto`);
      continue;
    }
    // What @grpc/proto-loader hands to grpc-js must agree as well.
    const loaded = packageDefinition[messageName] as protoLoader.MessageTypeDefinition<object, object> | undefined;
    if (loaded?.format !== 'Protocol Buffer 3 DescriptorProto') {
      problems.push(`message ${messageName}: not a message in the @grpc/proto-loader definition`);
    }
    const loadedFields = (loaded?.type as { field?: { name: string; number: number }[] } | undefined)?.field ?? [];
    for (const [fieldName, expected] of Object.entries(message.fields)) {
      const where = `${messageName}.${fieldName}`;
      const field = type.fields[fieldName];
      if (!field) {
        problems.push(`${where}: field missing in proto`);
        continue;
      }
      const actual = describeProtoField(field);
      try {
        assert.deepEqual(actual, expected);
      } catch {
        problems.push(`${where}: proto ${JSON.stringify(actual)} != contract ${JSON.stringify(expected)}`);
      }
      const loadedNumber = loadedFields.find((f) => f.name === fieldName)?.number;
      if (loadedNumber !== expected.number)
        problems.push(`${where}: proto-loader number ${loadedNumber} != ${expected.number}`);
    }
  }
  return problems;
}

function enumProblems(facts: ContractFacts): string[] {
  const problems: string[] = [];
  for (const [enumName, e] of Object.entries(facts.enums)) {
    const reflected = root.lookup(enumName);
    if (!(reflected instanceof protobuf.Enum)) {
      problems.push(`enum ${enumName}: missing in proto`);
      continue;
    }
    for (const [valueName, number] of Object.entries(e.values)) {
      if (reflected.values[valueName] !== number) {
        problems.push(`${enumName}.${valueName}: proto ${reflected.values[valueName]} != contract ${number}`);
      }
    }
  }
  return problems;
}

/** Lists the differences between two fact sets, one line per service/RPC/message/field/enum value. */
function diffFacts(from: ContractFacts, to: ContractFacts): string[] {
  const out: string[] = [];
  const diffRecords = <T>(
    where: string,
    a: Record<string, T>,
    b: Record<string, T>,
    inner?: (key: string, x: T, y: T) => void,
  ): void => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = a[key];
      const y = b[key];
      if (x === undefined) out.push(`${where}${key}: added ${JSON.stringify(y)}`);
      else if (y === undefined) out.push(`${where}${key}: removed`);
      else if (inner) inner(key, x, y);
      else if (JSON.stringify(x) !== JSON.stringify(y))
        out.push(`${where}${key}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
    }
  };
  if (JSON.stringify(from.packages) !== JSON.stringify(to.packages))
    out.push(`packages: ${from.packages.join(',')} -> ${to.packages.join(',')}`);
  diffRecords('service ', from.services, to.services, (name, x, y) => {
    if (x.package !== y.package) out.push(`service ${name}: package ${x.package} -> ${y.package}`);
    diffRecords(`${name}/`, x.rpcs, y.rpcs);
  });
  diffRecords('message ', from.messages, to.messages, (name, x, y) => diffRecords(`${name}.`, x.fields, y.fields));
  diffRecords('enum ', from.enums, to.enums, (name, x, y) => diffRecords(`${name}.`, x.values, y.values));
  return out;
}

function assertNoProblems(problems: string[]): void {
  assert.deepEqual(problems, [], `${problems.length} mismatch(es) with the wire contract:\n  ${problems.join('\n  ')}`);
}

function assertFactsLookComplete(facts: ContractFacts): void {
  assert.deepEqual([...facts.packages].sort(), Object.values(PROTO_FILES).sort());
  assert.ok(Object.keys(facts.services).length >= 4, 'expected at least 4 services');
  assert.ok(Object.keys(facts.messages).length > 100, 'expected more than 100 messages');
  assert.ok(Object.keys(facts.enums).length >= 7, 'expected at least 7 enums');
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('proto files', () => {
  test('each file is proto3 and declares its package', () => {
    for (const [file, pkg] of Object.entries(PROTO_FILES)) {
      const source = fs.readFileSync(path.join(PROTO_DIR, file), 'utf8');
      const parsed = protobuf.parse(source, { keepCase: true });
      assert.equal(parsed.package, pkg, `${file} package`);
      // protobufjs 7.5+ no longer reports the syntax, so read the statement itself.
      const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      assert.match(withoutComments, /^\s*syntax\s*=\s*"proto3"\s*;/, `${file} must be proto3`);
    }
  });

  test('enum value names are unique within their enclosing scope (protoc rule)', () => {
    // protoc scopes enum values as siblings of the enum; protobufjs does not
    // enforce this, so check it here.
    const problems: string[] = [];
    const visit = (ns: ProtobufNs.NamespaceBase): void => {
      const seen = new Map<string, string>();
      for (const child of ns.nestedArray) {
        if (child instanceof protobuf.Enum) {
          for (const valueName of Object.keys(child.values)) {
            const other = seen.get(valueName);
            if (other) problems.push(`${fqName(ns)}: enum value ${valueName} in both ${other} and ${child.name}`);
            seen.set(valueName, child.name);
          }
        }
      }
      for (const child of ns.nestedArray) {
        if (seen.has(child.name)) problems.push(`${fqName(ns)}: ${child.name} is both a type and an enum value`);
        if (child instanceof protobuf.Namespace) visit(child);
      }
    };
    visit(root);
    assertNoProblems(problems);
  });
});

describe('against the committed facts (proto/contract-facts.json)', () => {
  test('the facts file looks complete', () => assertFactsLookComplete(committedFacts));
  test('every service and RPC exists with the same types and streaming flags', () =>
    assertNoProblems(serviceProblems(committedFacts)));
  test('every message field exists with the same number, type and shape', () =>
    assertNoProblems(messageProblems(committedFacts)));
  test('every enum value exists with the same number', () => assertNoProblems(enumProblems(committedFacts)));
});

describe('against shared/api/WIRE-CONTRACT.md', {
  skip: liveFacts === null ? `not found: ${CONTRACT_PATH}` : false,
}, () => {
  test('the parsed contract looks complete', () => assertFactsLookComplete(liveFacts!));
  test('committed facts are in sync with the contract (regenerate with UPDATE_CONTRACT_FACTS=1)', () => {
    const differences = diffFacts(committedFacts, liveFacts!);
    assert.deepEqual(
      differences,
      [],
      `proto/contract-facts.json is out of date (committed -> contract):\n  ${differences.join('\n  ')}`,
    );
    assert.deepEqual(committedFacts, liveFacts);
  });
  test('every service and RPC exists with the same types and streaming flags', () =>
    assertNoProblems(serviceProblems(liveFacts!)));
  test('every message field exists with the same number, type and shape', () =>
    assertNoProblems(messageProblems(liveFacts!)));
  test('every enum value exists with the same number', () => assertNoProblems(enumProblems(liveFacts!)));
});

describe('project extensions', () => {
  test('extension fields exist with their numbers and types, outside any oneof', () => {
    const problems: string[] = [];
    for (const [messageName, fields] of Object.entries(EXTENSIONS)) {
      const type = root.lookup(messageName);
      if (!(type instanceof protobuf.Type)) {
        problems.push(`message ${messageName}: missing`);
        continue;
      }
      for (const [fieldName, expected] of Object.entries(fields)) {
        const field = type.fields[fieldName];
        if (!field) {
          problems.push(`${messageName}.${fieldName}: missing`);
          continue;
        }
        const actual = describeProtoField(field);
        const want: FieldFact = { ...expected, repeated: false, map: false, oneof: null };
        try {
          assert.deepEqual(actual, want);
        } catch {
          problems.push(`${messageName}.${fieldName}: ${JSON.stringify(actual)} != ${JSON.stringify(want)}`);
        }
      }
    }
    assertNoProblems(problems);
  });

  test('extensions neither reuse contract field numbers nor shadow contract field names', () => {
    const problems: string[] = [];
    for (const [messageName, fields] of Object.entries(EXTENSIONS)) {
      const contractFields = committedFacts.messages[messageName]?.fields ?? {};
      const usedNumbers = new Set(Object.values(contractFields).map((f) => f.number));
      for (const [fieldName, ext] of Object.entries(fields)) {
        if (fieldName in contractFields) problems.push(`${messageName}.${fieldName}: name already in the contract`);
        if (usedNumbers.has(ext.number))
          problems.push(`${messageName}.${fieldName}: number ${ext.number} already used by the contract`);
      }
    }
    assertNoProblems(problems);
  });

  test('uint64 sequence numbers survive a grpc-js round trip as strings', () => {
    const sendMessage = lookupGrpcService('guardyn.messaging.MessagingService')?.service.SendMessage;
    assert.ok(sendMessage, 'SendMessage definition');
    const response = {
      success: {
        message_id: '0b7f6c1e-7a43-4d4e-9a53-1f0d8f1f3c11',
        conversation_id: 'c0ffee00-0000-4000-8000-000000000001',
        consistency: { stream: 'MESSAGES', seq: '18446744073709551615' },
      },
    };
    const decoded = sendMessage.responseDeserialize(sendMessage.responseSerialize(response)) as {
      result: string;
      success: { consistency: { stream: string; seq: string }; conversation_id: string };
    };
    assert.equal(decoded.result, 'success');
    assert.deepEqual(decoded.success.consistency, { stream: 'MESSAGES', seq: '18446744073709551615' });
    assert.equal(decoded.success.conversation_id, response.success.conversation_id);
  });
});

describe('contract parser', () => {
  const sample = [
    '# title',
    '## package demo.common',
    '- msg demo.common.Err: code=1:Code, details=3:map<string,string>',
    '- enum demo.common.Err.Code: UNKNOWN=0, BAD=1',
    '- msg demo.common.Time: seconds=1:int64',
    '## service demo.chat.Chat',
    '- Send(SendRequest) → SendResponse',
    '- Upload(stream Chunk) → common.Time',
    '- Watch(SendRequest) → stream Chunk',
    '- msg demo.chat.SendRequest: ids=1:repeated string, at=2:common.Time',
    '- msg demo.chat.SendResponse: ok=1:bool{result}, error=2:demo.common.Err{result}',
    '- msg demo.chat.Chunk: ',
    '## WebSocket',
    '- `ping {timestamp}`',
  ].join('\n');

  test('resolves scoped type names, maps, repeated fields, oneofs and streaming', () => {
    const facts = parseContract(sample);
    assert.deepEqual(facts.packages, ['demo.common', 'demo.chat']);
    assert.deepEqual(facts.messages['demo.common.Err']!.fields, {
      code: { number: 1, type: 'demo.common.Err.Code', repeated: false, map: false, oneof: null },
      details: { number: 3, type: 'string', repeated: false, map: true, keyType: 'string', oneof: null },
    });
    assert.deepEqual(facts.messages['demo.chat.SendRequest']!.fields.ids, {
      number: 1,
      type: 'string',
      repeated: true,
      map: false,
      oneof: null,
    });
    assert.equal(facts.messages['demo.chat.SendRequest']!.fields.at!.type, 'demo.common.Time');
    assert.equal(facts.messages['demo.chat.SendResponse']!.fields.error!.oneof, 'result');
    assert.deepEqual(facts.messages['demo.chat.Chunk']!.fields, {});
    assert.deepEqual(facts.enums['demo.common.Err.Code']!.values, { UNKNOWN: 0, BAD: 1 });
    assert.deepEqual(facts.services['demo.chat.Chat']!.rpcs, {
      Send: {
        requestType: 'demo.chat.SendRequest',
        requestStream: false,
        responseType: 'demo.chat.SendResponse',
        responseStream: false,
      },
      Upload: {
        requestType: 'demo.chat.Chunk',
        requestStream: true,
        responseType: 'demo.common.Time',
        responseStream: false,
      },
      Watch: {
        requestType: 'demo.chat.SendRequest',
        requestStream: false,
        responseType: 'demo.chat.Chunk',
        responseStream: true,
      },
    });
  });

  test('rejects lines it does not understand and unknown types', () => {
    assert.throws(() => parseContract('## package a.b\n- mesage a.b.X: y=1:string'), /unrecognised line/);
    assert.throws(() => parseContract('## package a.b\n- msg a.b.X: y=1:Nope'), /cannot resolve type "Nope"/);
    assert.throws(() => parseContract('## package a.b\n- msg a.b.X: y=one:string'), /bad field/);
  });
});
