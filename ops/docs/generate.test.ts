/**
 * The generated docs: the decision-record index is built from the records and names a record
 * that breaks the form; the configuration reference finds every variable, default and refusal
 * from the configuration code itself; and the checked-in files are current (`npm run docs:check`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRecords, renderIndex } from './adr-index.ts';
import { configReference, readable } from './config-reference.ts';
import { generate, stale } from './generate.ts';
import { brokenLinks } from './links.ts';
import { readRpcs } from './rpc-reference.ts';

function recordsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-adr-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('decision-record index', () => {
  it('lists each record with its number, title, status and date, in number order', () => {
    const dir = recordsDir({
      '0002-b-later.md': '# 0002. B later\n\nStatus: accepted\nDate: 2026-12-06\n\n## Decision\n\nb\n',
      '0001-a-first.md':
        '# 0001. A first\n\nStatus: superseded by [0002. B later](0002-b-later.md)\nDate: 2026-11-27\n',
      'README.md': 'old index',
    });
    const { records, problems } = readRecords(dir);
    assert.deepEqual(problems, []);
    const index = renderIndex(records);
    assert.match(
      index,
      /\| 0001 \| \[A first\]\(0001-a-first\.md\) \| superseded by 0002 \| 2026-11-27 \|\n\| 0002 \| \[B later\]\(0002-b-later\.md\) \| accepted \| 2026-12-06 \|/,
    );
  });

  it('names a record that breaks the form, and a number taken twice', () => {
    const dir = recordsDir({
      '0200-no-status.md': '# 0200. No status\n\nDate: 2026-12-06\n',
      '0201-bad-date.md': '# 0201. Bad date\n\nStatus: accepted\nDate: 6 December\n',
      '0202-wrong-number.md': '# 0203. Wrong number\n\nStatus: accepted\nDate: 2026-12-06\n',
      'Some Title.md': '# 0204. x\n',
      '0205-one.md': '# 0205. One\n\nStatus: accepted\nDate: 2026-12-06\n',
      '0205-two.md': '# 0205. Two\n\nStatus: accepted\nDate: 2026-12-06\n',
    });
    const { records, problems } = readRecords(dir);
    const text = problems.join('\n');
    assert.match(text, /0200-no-status\.md: needs a "Status: accepted"/);
    assert.match(text, /0201-bad-date\.md: needs a "Date: YYYY-MM-DD" line/);
    assert.match(text, /0202-wrong-number\.md: the first line must be "# 0202\. Title"/);
    assert.match(text, /Some Title\.md: the name must be NNNN-kebab-title\.md/);
    assert.match(text, /0205-two\.md: number 0205 is taken by docs\/adr\/0205-one\.md/);
    assert.deepEqual(
      records.map((r) => r.file),
      ['0205-one.md', '0205-two.md'],
    );
  });
});

describe('configuration reference', () => {
  const { rows, problems } = configReference();
  const row = (name: string) => {
    const r = rows.find((x) => x.name === name);
    assert.ok(r, `${name} is listed`);
    return r;
  };

  it('every variable the code reads is described, and every description is read', () => {
    assert.deepEqual(problems, []);
    assert.ok(rows.length > 100);
  });

  it('finds whole-number defaults from the code, scaled back when the setting is converted', () => {
    assert.equal(row('GUARDYN_AUTH__PORT').default, '50051');
    assert.equal(row('GUARDYN_MESSAGING__MAX_CONTENT_BYTES').default, String(256 * 1024));
    assert.equal(row('GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_WINDOW_SECONDS').default, '900');
    assert.equal(row('GUARDYN_DATABASE__SCYLLADB_BUCKET_HOURS').default, '24'); // stored as ms in the config
  });

  it('writes large sizes and times readably beside the number', () => {
    assert.equal(readable('GUARDYN_MEDIA__MAX_SIZE_BYTES', '2147483648'), '2147483648 (2 GiB)');
    assert.equal(readable('GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS', '172800'), '172800 (2 d)');
    assert.equal(readable('GUARDYN_PRESENCE__AWAY_AFTER_MS', '300000'), '300000 (5 min)');
    assert.equal(readable('GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS', '5000'), '5000 (5 s)');
    assert.equal(readable('GUARDYN_AUTH__PORT', '50051'), '50051');
    assert.equal(readable('GUARDYN_X_SECONDS', '90'), '90');
    assert.equal(readable('GUARDYN_DATA_DIR', '`./data`'), '`./data`');
  });

  it('shows what the code answers to bad values', () => {
    assert.deepEqual(row('GUARDYN_AUTH__PORT').bad, ['must be a whole number', 'must be between 0 and 65535']);
    assert.match(row('GUARDYN_PRESENCE__VISIBILITY').bad.join(), /must be one of contacts, everyone/);
    assert.match(row('GUARDYN_MEDIA__S3_BUCKET').bad.join(), /is not a bucket name/); // read only with an S3 endpoint
    assert.deepEqual(row('GUARDYN_HOST').bad, []);
  });
});

describe('links in the docs', () => {
  it('names a relative link that points at nothing, not URLs, anchors or code', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-links-'));
    fs.mkdirSync(path.join(root, 'docs/adr'), { recursive: true });
    fs.writeFileSync(path.join(root, 'docs/adr/0001-a.md'), '# 0001. A\n');
    fs.writeFileSync(
      path.join(root, 'README.md'),
      '[ok](docs/adr/0001-a.md#decision) [web](https://example.org) [top](#x) `[code](nope.md)`\n```\n[fenced](nope.md)\n```\n',
    );
    fs.writeFileSync(path.join(root, 'docs/PAGE.md'), 'see [0001](adr/0001-a.md) and [gone](adr/0002-gone.md)\n');
    assert.deepEqual(brokenLinks(root), ['docs/PAGE.md:1: the link to adr/0002-gone.md points at nothing']);
  });
});

describe('RPC reference', () => {
  it('lists every RPC of the .proto files with the gateway file that serves it', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const rpcs = readRpcs(root);
    const protoRpcs = fs
      .readdirSync(path.join(root, 'proto/guardyn'))
      .flatMap((f) =>
        [...fs.readFileSync(path.join(root, 'proto/guardyn', f), 'utf8').matchAll(/^\s*rpc (\w+)/gm)].map((m) => m[1]),
      );
    assert.deepEqual(rpcs.map((r) => r.name).sort(), protoRpcs.sort());
    for (const r of rpcs)
      assert.ok(r.handlers.length > 0, `${r.service}.${r.name} is served by a file under gateways/`);
    const send = rpcs.find((r) => r.name === 'SendMessage')!;
    assert.equal(send.service, 'MessagingService');
    assert.ok(send.records.includes('0004-idempotent-sendmessage.md'));
    assert.equal(rpcs.find((r) => r.name === 'ReceiveMessages')?.streaming, true);
  });
});

describe('checked-in generated docs', () => {
  it('are current (else: npm run docs)', () => {
    const generated = generate();
    assert.deepEqual(generated.problems, []);
    assert.deepEqual(stale(generated), []);
  });
});
