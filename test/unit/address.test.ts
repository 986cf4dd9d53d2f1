import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressRequest } from '../../src/api/families/address.js';
import { RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR } from '../../src/generated/linux/rtnetlink.js';
import { EncodeError, NetlinkError } from '../../src/netlink/errors.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { addressMessageOf } from '../../src/rtnl/address-input.js';
import { type Address, type AddressMessageInput, addressMessage, decodeAddress } from '../../src/rtnl/address.js';
import { rejects, throwsAt } from '../helpers/expect.js';
import { fakeRtnl } from '../helpers/fake-rtnl.js';

function message(msg: AddressMessageInput, type = RTM_NEWADDR): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(type, 2);
  addressMessage.encodePayload(w, msg);
  w.endMessage(at);
  return w.toBuffer();
}

const decode = (msg: AddressMessageInput): Address => { const b = message(msg); return decodeAddress(b, 0, b.length); };

test('an IPv4 address decodes with its broadcast, label, scope, flags and lifetimes', () => {
  const a = decode(addressMessageOf('add', { dev: 10, address: '198.18.0.1/24', broadcast: '+', label: 'nlts-v0:a', validLft: 300, preferredLft: 200 }));
  assert.equal([a.family, a.prefixlen, a.index, a.scope], ['inet', 24, 10, 'global']);
  assert.equal([a.local, a.address, a.broadcast, a.label], ['198.18.0.1', '198.18.0.1', '198.18.0.255', 'nlts-v0:a']);
  assert.equal(a.flags, []);
  assert.equal(a.cacheinfo, { ifa_prefered: 200, ifa_valid: 300, cstamp: 0, tstamp: 0 });
  assert.is(a.anycast, undefined);
  assert.is(a.priority, undefined);
});

test('an IPv6 address without IFA_LOCAL gets local from IFA_ADDRESS; IFA_FLAGS carries the high flags', () => {
  const a = decode({ family: 'inet6', prefixlen: 64, index: 10, scope: 'global', address: 'fd00::1', flags: ['tentative', 'noprefixroute', '0x10000'] });
  assert.is(a.local, 'fd00::1');
  assert.equal(a.flags, ['tentative', 'noprefixroute', '0x10000']);
  const legacy = decode({ family: 'inet6', prefixlen: 64, index: 10, address: 'fd00::1', ifaFlags: ['permanent'] });
  assert.equal(legacy.flags, ['permanent'], 'without IFA_FLAGS, the header flags');
});

test('iproute2 rules: "+" sets the host bits, "-" clears them, none past /30, 127/8 is scope host', () => {
  assert.is(addressMessageOf('add', { dev: 10, address: '198.18.0.77/26', broadcast: '+' }).broadcast, '198.18.0.127');
  assert.is(addressMessageOf('add', { dev: 10, address: '198.18.0.77/26', broadcast: '-' }).broadcast, '198.18.0.64');
  assert.is(addressMessageOf('add', { dev: 10, address: '198.18.0.77/31', broadcast: '+' }).broadcast, undefined);
  assert.is(addressMessageOf('add', { dev: 10, address: '198.18.5.1', peer: '198.18.6.0/24', broadcast: '+' }).broadcast, '198.18.6.255', 'from the peer prefix');
  assert.is(addressMessageOf('add', { dev: 1, address: '127.0.0.2/8' }).scope, 254);
  assert.is(addressMessageOf('add', { dev: 10, address: '198.18.0.1/24' }).scope, 0);
  assert.is(addressMessageOf('del', { dev: 10, address: '198.18.0.1/24' }).scope, undefined);
  const low = addressMessageOf('add', { dev: 10, address: 'fd00::1/64', flags: ['nodad', 'tentative'] });
  assert.equal([low.ifaFlags, low.flags], [2, undefined], 'kernel-state flags dropped; low flags in the header');
  const high = addressMessageOf('add', { dev: 10, address: 'fd00::1/64', flags: ['noprefixroute'] });
  assert.equal([high.ifaFlags, high.flags], [undefined, 0x200]);
  const wild = addressMessageOf('del', { dev: 10, address: '198.18.0.1' });
  assert.equal([wild.local, wild.address, wild.prefixlen], ['198.18.0.1', undefined, 32]);
});

test('bad input names the field, before anything is sent', async () => {
  throwsAt(() => addressMessageOf('add', { dev: 10, address: '198.18.0.256/24' }), 'address.address', /not a valid IP address/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: '198.18.0.1/33' }), 'address.address', /0\.\.32/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/129' }), 'address.address', /0\.\.128/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/64', peer: '198.18.0.2' }), 'address.peer', /IPv4 address in an IPv6 request/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/64', broadcast: '+' }), 'address.broadcast', /IPv4 only/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: '198.18.0.1/24', flags: ['nodad'] }), 'address.flags', /IPv6 addresses only/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: '198.18.0.1/24', flags: ['autojoin'] }), 'address.flags', /multicast/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/64', validLft: 0 }), 'address.validLft', /expire/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/64', validLft: 10, preferredLft: 20 }), 'address.preferredLft', /exceeds/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: 'fd00::1/64', prefixlen: 48 }), 'address.prefixlen', /disagrees/);
  throwsAt(() => addressMessageOf('add', { address: '198.18.0.1/24' }), 'address.dev', /needs an interface/);
  throwsAt(() => addressMessageOf('add', { dev: 10 }), 'address.address', /required/);
  throwsAt(() => addressMessageOf('add', { dev: 10, address: '198.18.0.1/24', lable: 'x' } as never), 'address.lable', /unknown address field/);
  throwsAt(() => addressRequest('add', { dev: 10, address: '198.18.0.1/24', label: 'a-label-longer-than-15' }), 'address.label');
  const fake = fakeRtnl();
  await rejects(() => fake.nl.addr.add({ dev: 'nlts-v0', address: '198.18.0.1/24', scope: 'galaxy' as never }), (e) => e instanceof EncodeError && e.path === 'address.scope');
  assert.is(fake.k.sent.length, 0, 'not even the name lookup went out');
});

test('a decoded address is a valid input, peer included', () => {
  const listed = decode(addressMessageOf('add', { dev: 10, address: '198.18.5.1', peer: '198.18.6.1/32', label: 'nlts-v0' }));
  assert.equal([listed.local, listed.address, listed.prefixlen], ['198.18.5.1', '198.18.6.1', 32]);
  const del = addressMessageOf('del', listed);
  assert.equal([del.local, del.address, del.prefixlen, del.index, del.label], ['198.18.5.1', '198.18.6.1', 32, 10, 'nlts-v0']);
  const v6 = addressMessageOf('del', decode({ family: 'inet6', prefixlen: 64, index: 10, address: 'fd00::1', flags: ['permanent'] }));
  assert.equal([v6.local, v6.address, v6.prefixlen, v6.flags, v6.ifaFlags], ['fd00::1', 'fd00::1', 64, undefined, undefined]);
});

test('kernel refusals keep the kernel\'s words; deleting an absent address is EADDRNOTAVAIL, said in words', async () => {
  const fake = fakeRtnl((req, reply) => {
    if (req.type === RTM_NEWADDR) { reply.error(17, { message: 'ipv4: Address already assigned' }); return true; }
    if (req.type === RTM_DELADDR) { reply.error(99, { message: 'ipv4: Address not found' }); return true; }
    return false;
  });
  await rejects(() => fake.nl.addr.add({ dev: 'nlts-v0', address: '198.18.0.1/24' }),
    (e) => e instanceof NetlinkError && e.code === 'EEXIST' && e.extack?.message === 'ipv4: Address already assigned');
  await rejects(() => fake.nl.addr.del({ dev: 'nlts-v0', address: '198.18.0.9/24' }),
    (e) => e instanceof NetlinkError && e.code === 'EADDRNOTAVAIL' && /EADDRNOTAVAIL .*: ipv4: Address not found$/.test(e.message));
});

test('list filters by family and interface in the request; flush deletes until none is left', async () => {
  let present = [
    addressMessageOf('add', { dev: 10, address: '198.18.0.1/24' }),
    addressMessageOf('add', { dev: 10, address: '198.18.0.2/24' }),
    addressMessageOf('add', { dev: 10, address: 'fd00::1/64' }),
  ];
  const fake = fakeRtnl((req, reply) => {
    if (req.type === RTM_GETADDR) {
      for (const a of present) reply.data(RTM_NEWADDR, (w) => addressMessage.encodePayload(w, a), 2);
      reply.done();
      return true;
    }
    if (req.type === RTM_DELADDR) {
      const d = addressMessage.decodePayload(req.payload, 0, req.payload.length);
      // Deleting the primary takes the secondary along, as the kernel does.
      if (d.local === '198.18.0.1') present = present.filter((a) => a.family !== 2);
      else if (!present.some((a) => a.local === d.local)) { reply.error(99); return true; }
      else present = present.filter((a) => a.local !== d.local);
      reply.ack();
      return true;
    }
    return false;
  });
  const listed = await fake.nl.addr.list({ family: 'inet6', dev: 'nlts-v0' });
  const sent = addressMessage.decodePayload(fake.last(RTM_GETADDR), 16, fake.last(RTM_GETADDR).length);
  assert.equal([sent.family, sent.index, sent.prefixlen], ['inet6', 10, 0]);
  assert.is(listed.length, 3, 'the fake does not filter; the request did');
  assert.is(await fake.nl.addr.flush('nlts-v0'), 3, 'the secondary went with its primary, and counts');
  assert.equal(present, []);
});

test.run();
