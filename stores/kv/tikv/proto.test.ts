/**
 * Checks this folder's minimal .proto files field by field against the upstream
 * kvproto files (from the Go module cache, fetched through the Go module proxy):
 * every message, field, enum value and RPC of ours must exist upstream with the
 * same number, type, label and message type. Skips, saying why, when Go or the
 * module is not available. GUARDYN_KVPROTO_VERSION picks another kvproto version.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { TIKV_PROTO_DIR, TIKV_PROTO_FILES } from './wire.ts';

/** The kvproto version compared against (a pseudo-version: kvproto has no releases). */
export const KVPROTO_VERSION = process.env.GUARDYN_KVPROTO_VERSION ?? 'v0.0.0-20260608025309-50b863799195';

function upstreamDir(): { dir?: string; why?: string } {
  const go = spawnSync('go', ['mod', 'download', '-json', `github.com/pingcap/kvproto@${KVPROTO_VERSION}`], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (go.error !== undefined) return { why: `go is not available (${go.error.message})` };
  try {
    const info = JSON.parse(go.stdout) as { Dir?: string; Error?: string };
    if (info.Dir !== undefined && fs.existsSync(path.join(info.Dir, 'proto', 'kvrpcpb.proto')))
      return { dir: info.Dir };
    return { why: `kvproto ${KVPROTO_VERSION} could not be fetched: ${info.Error ?? go.stderr.trim()}` };
  } catch {
    return { why: `kvproto ${KVPROTO_VERSION} could not be fetched: ${go.stderr.trim() || 'no answer'}` };
  }
}

interface Field {
  name: string;
  number: number;
  type: string;
  label: string;
  typeName: string;
}
interface Described {
  format: string;
  type: { field?: Field[]; value?: { name: string; number: number }[] };
}
type Service = Record<string, { path: string; requestType: Described; responseType: Described }>;

const load = (files: readonly string[], includeDirs: string[]) =>
  protoLoader.loadSync([...files], { includeDirs, keepCase: true }) as unknown as Record<string, Described | Service>;

const isMessage = (d: unknown): d is Described => (d as Described)?.format === 'Protocol Buffer 3 DescriptorProto';
const isEnum = (d: unknown): d is Described => (d as Described)?.format === 'Protocol Buffer 3 EnumDescriptorProto';
/** Message type names, without the leading dot. */
const typeName = (name: string) => name.replace(/^\./, '');

const found = upstreamDir();

describe(`TiKV .proto files match kvproto ${KVPROTO_VERSION}`, () => {
  if (found.dir === undefined) {
    it(`skipped: ${found.why}`, { skip: found.why }, () => {});
    return;
  }
  const ours = load(TIKV_PROTO_FILES, [TIKV_PROTO_DIR]);
  const theirs = load(TIKV_PROTO_FILES, [path.join(found.dir, 'proto'), path.join(found.dir, 'include')]);

  it('every message field has the upstream number, type, label and message type', () => {
    let checked = 0;
    for (const [name, def] of Object.entries(ours)) {
      if (!isMessage(def)) continue;
      const upstream: Described | Service | undefined = theirs[name];
      assert.ok(isMessage(upstream), `message ${name} exists upstream`);
      for (const field of def.type.field ?? []) {
        const other: Field | undefined = upstream.type.field?.find((f: Field) => f.name === field.name);
        assert.ok(other !== undefined, `${name}.${field.name} exists upstream`);
        assert.equal(field.number, other.number, `${name}.${field.name} number`);
        assert.equal(field.type, other.type, `${name}.${field.name} type`);
        assert.equal(field.label, other.label, `${name}.${field.name} label`);
        assert.equal(typeName(field.typeName), typeName(other.typeName), `${name}.${field.name} message type`);
        checked += 1;
      }
    }
    assert.ok(checked > 100, `checked ${checked} fields`);
  });

  it('every enum value has the upstream number', () => {
    for (const [name, def] of Object.entries(ours)) {
      if (!isEnum(def)) continue;
      const upstream = theirs[name];
      assert.ok(isEnum(upstream), `enum ${name} exists upstream`);
      for (const value of def.type.value ?? []) {
        assert.equal(
          value.number,
          upstream.type.value?.find((v) => v.name === value.name)?.number,
          `${name}.${value.name}`,
        );
      }
    }
  });

  it('every RPC has the upstream path and message types', () => {
    for (const service of ['tikvpb.Tikv', 'pdpb.PD']) {
      const mine = ours[service] as Service;
      const upstream = theirs[service] as Service;
      assert.ok(upstream !== undefined, `${service} exists upstream`);
      for (const [method, def] of Object.entries(mine)) {
        const other: Service[string] | undefined = upstream[method];
        assert.ok(other !== undefined, `${service}.${method} exists upstream`);
        assert.equal(def.path, other.path);
        assert.equal(def.requestType.type.constructor, other.requestType.type.constructor);
        assert.equal(
          (def.requestType.type as { name?: string }).name,
          (other.requestType.type as { name?: string }).name,
          `${service}.${method} request`,
        );
        assert.equal(
          (def.responseType.type as { name?: string }).name,
          (other.responseType.type as { name?: string }).name,
          `${service}.${method} response`,
        );
      }
    }
  });
});
