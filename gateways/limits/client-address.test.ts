import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { clientAddress, normalizeAddress, stripPort } from './client-address.ts';

function call(peer: string, headers: Record<string, string | string[]> = {}) {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) metadata.add(k, one);
  return { getPeer: () => peer, metadata };
}

describe('client addresses', () => {
  test('the TCP peer without its port, as grpc-js writes it', () => {
    assert.equal(clientAddress(call('127.0.0.1:54321'), undefined), 'ipv4:127.0.0.1');
    assert.equal(clientAddress(call('::1:54321'), undefined), 'ipv6:0:0:0:0::/64');
    assert.equal(clientAddress(call('[::1]:54321'), undefined), 'ipv6:0:0:0:0::/64');
    assert.equal(clientAddress(call('::ffff:10.1.2.3:443'), undefined), 'ipv4:10.1.2.3', 'IPv4-mapped counts as IPv4');
    assert.equal(clientAddress(call('unknown'), undefined), 'peer:unknown');
    assert.equal(clientAddress(call('/run/guardyn.sock'), undefined), 'peer:/run/guardyn.sock');
  });

  test('IPv6 addresses count by their /64', () => {
    const a = clientAddress(call('2001:db8:1:2:aaaa::1:5000'), undefined);
    const b = clientAddress(call('[2001:0db8:0001:0002:ffff:ffff:ffff:ffff]:5000'), undefined);
    assert.equal(a, 'ipv6:2001:db8:1:2::/64');
    assert.equal(b, a);
    assert.notEqual(clientAddress(call('2001:db8:1:3::1:5000'), undefined), a);
    assert.equal(normalizeAddress('fe80::1%eth0'), 'ipv6:fe80:0:0:0::/64');
    assert.equal(normalizeAddress('::ffff:1.2.3.4'), 'ipv4:1.2.3.4');
    assert.equal(normalizeAddress('2001:db8::1.2.3.4'), 'ipv6:2001:db8:0:0::/64');
    assert.equal(normalizeAddress('example.org'), undefined);
  });

  test('a configured proxy header wins; its right-most entry is the one the proxy wrote', () => {
    const header = 'x-forwarded-for';
    assert.equal(clientAddress(call('10.0.0.1:1', { [header]: '203.0.113.9' }), header), 'ipv4:203.0.113.9');
    assert.equal(
      clientAddress(call('10.0.0.1:1', { [header]: '6.6.6.6, 203.0.113.9' }), header),
      'ipv4:203.0.113.9',
      'a client-forged left part is ignored',
    );
    assert.equal(
      clientAddress(call('10.0.0.1:1', { [header]: ['1.1.1.1', '2001:db8::5'] }), header),
      'ipv6:2001:db8:0:0::/64',
    );
    assert.equal(
      clientAddress(call('10.0.0.1:1', { [header]: '2001:db8::1:2' }), header),
      'ipv6:2001:db8:0:0::/64',
      'a bare IPv6 address is not cut as host:port',
    );
    assert.equal(clientAddress(call('10.0.0.1:1', { [header]: '198.51.100.7:9999' }), header), 'ipv4:198.51.100.7');
    // Absent or unparsable: the peer.
    assert.equal(clientAddress(call('10.0.0.1:1'), header), 'ipv4:10.0.0.1');
    assert.equal(clientAddress(call('10.0.0.1:1', { [header]: 'garbage' }), header), 'ipv4:10.0.0.1');
    // Not configured: the header is not trusted.
    assert.equal(clientAddress(call('10.0.0.1:1', { [header]: '203.0.113.9' }), undefined), 'ipv4:10.0.0.1');
  });

  test('stripPort', () => {
    assert.equal(stripPort('1.2.3.4:80'), '1.2.3.4');
    assert.equal(stripPort('[2001:db8::1]:80'), '2001:db8::1');
    assert.equal(stripPort('host:80'), 'host:80', 'only IP hosts are cut');
  });
});
