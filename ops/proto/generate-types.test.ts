/**
 * The generated gRPC types (`npm run proto:types`): the generator runs with the servers' loader
 * options, the checked-in files are current, and the check (`npm run proto:types:check`) names a
 * file that is changed, missing or left over. Every comparison runs on temp directories: nothing
 * in the repository is written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTO_LOADER_OPTIONS } from '../../gateways/grpc/proto.ts';
import { readRpcs } from '../docs/rpc-reference.ts';
import { check, differences, GENERATED_DIR, generatorFlags } from './generate-types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-proto-types-test-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('generated gRPC types', () => {
  it('are generated with the options the servers load the protos with', () => {
    assert.deepEqual(generatorFlags(PROTO_LOADER_OPTIONS), [
      '--keepCase',
      '--longs=String',
      '--enums=String',
      '--bytes=Buffer',
      '--defaults',
      '--oneofs',
      '--grpcLib=@grpc/grpc-js',
      '--importFileExtension=.ts',
    ]);
  });

  it('refuse a loader option the generator cannot mirror', () => {
    assert.throws(() => generatorFlags({ ...PROTO_LOADER_OPTIONS, enums: Symbol as never }), /enums/);
    assert.throws(
      () => generatorFlags({ ...PROTO_LOADER_OPTIONS, alternateCommentMode: true }),
      /alternateCommentMode/,
    );
  });

  it('differences name each file missing, changed or no longer generated', () => {
    const fresh = tempDir({ 'a.ts': 'a\n', 'guardyn/b.ts': 'b\n', 'guardyn/c.ts': 'c\n' });
    const current = tempDir({ 'a.ts': 'a\n', 'guardyn/b.ts': 'B\n', 'guardyn/old.ts': 'old\n' });
    try {
      assert.deepEqual(differences(fresh, current), [
        'guardyn/b.ts is not current',
        'guardyn/c.ts is missing',
        'guardyn/old.ts is no longer generated',
      ]);
      assert.deepEqual(differences(fresh, fresh), []);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
      fs.rmSync(current, { recursive: true, force: true });
    }
  });

  it('checked in are current (else: npm run proto:types)', () => {
    assert.deepEqual(check(), []);
  });

  it('the check fails on a copy with a file changed, one missing and one extra', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-proto-types-copy-'));
    try {
      fs.cpSync(path.join(root, GENERATED_DIR), copy, { recursive: true });
      const changed = 'guardyn/auth/LoginResponse.ts';
      const missing = 'guardyn/common/ErrorResponse.ts';
      fs.appendFileSync(path.join(copy, changed), '// edited by hand\n');
      fs.rmSync(path.join(copy, missing));
      fs.writeFileSync(path.join(copy, 'guardyn/auth/Removed.ts'), 'export interface Removed {}\n');
      assert.deepEqual(check(copy), [
        `${changed} is not current`,
        `${missing} is missing`,
        'guardyn/auth/Removed.ts is no longer generated',
      ]);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('are not taken for handlers by the RPC reference (they name every RPC but serve none)', () => {
    const rpcs = readRpcs(root);
    assert.ok(rpcs.length > 50);
    const generated = rpcs
      .flatMap((r) => r.handlers)
      .filter((f) => f.split(path.sep).join('/').startsWith(GENERATED_DIR));
    assert.deepEqual(generated, []);
    const login = rpcs.find((r) => r.service === 'AuthService' && r.name === 'Login');
    assert.deepEqual(
      login?.handlers.map((f) => f.split(path.sep).join('/')),
      ['gateways/grpc/auth/auth.ts'],
    );
  });
});
