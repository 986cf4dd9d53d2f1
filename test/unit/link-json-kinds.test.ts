// info_data / info_slave_data as `ip -j -d link show` (iproute2 6.1) printed them
// for links made in the User-mode Linux tier (docs/testing.md), where these
// kinds exist: the printers give the same from the decoded options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bond } from '../../src/rtnl/link-kinds/bond.js';
import { vlan } from '../../src/rtnl/link-kinds/vlan.js';
import { vrf } from '../../src/rtnl/link-kinds/vrf.js';

// Each kind's printer lives in its kind module.
const [bondJson, bondPortJson, vlanJson, vrfJson, vrfPortJson] = [bond.json!, bond.portJson!, vlan.json!, vrf.json!, vrf.portJson!];

const names = (i: number): string => ({ 4: 'd1' } as Record<number, string>)[i] ?? `if${i}`;

test('vlan: protocol, id, flags in iproute2\'s order and case, qos maps', () => {
  // ip link add link d0 name v1 type vlan protocol 802.1ad id 20 reorder_hdr off gvrp on loose_binding on mvrp on egress-qos-map 1:2 3:4 ingress-qos-map 5:6
  assert.equal(JSON.stringify(vlanJson({
    protocol: '802.1ad', id: 20, flags: { flags: ['gvrp', 'loose_binding', 'mvrp'], mask: ['reorder_hdr', 'gvrp', 'loose_binding', 'mvrp'] },
    ingressQos: { mapping: [{ from: 5, to: 6 }] }, egressQos: { mapping: [{ from: 1, to: 2 }, { from: 3, to: 4 }] },
  } as never, names)), '{"protocol":"802.1ad","id":20,"flags":["GVRP","MVRP","LOOSE_BINDING"],"ingress_qos":[{"from":5,"to":6}],"egress_qos":[{"from":1,"to":2},{"from":3,"to":4}]}');
  assert.equal(JSON.stringify(vlanJson({ protocol: '802.1Q', id: 10, flags: { flags: ['reorder_hdr'], mask: [] } } as never, names)),
    '{"protocol":"802.1Q","id":10,"flags":["REORDER_HDR"]}');
  // A flag bit iproute2 has no name for: one hex number without 0x, after the names.
  assert.equal(vlanJson({ id: 1, flags: { flags: ['reorder_hdr', '0x100', '0x40'], mask: [] } } as never, names).flags, ['REORDER_HDR', '140']);
});

test('bond: every key ip prints for an active-backup bond, in its order; arp_validate none is null', () => {
  const d = {
    mode: 'active-backup', activeSlave: 4, miimon: 100, updelay: 0, downdelay: 0, peerNotifDelay: 0, useCarrier: true, arpInterval: 0,
    missedMax: 2, arpValidate: 0, arpAllTargets: 0, primaryReselect: 0, failOverMac: 0, xmitHashPolicy: 'layer2', resendIgmp: 1,
    numPeerNotif: 1, allSlavesActive: false, minLinks: 0, lpInterval: 1, packetsPerSlave: 1, adLacpActive: true, adLacpRate: 0,
    adSelect: 0, tlbDynamicLb: true,
  };
  const out = JSON.parse(JSON.stringify(bondJson(d as never, names))) as unknown;
  assert.equal(JSON.stringify(out), '{"mode":"active-backup","active_slave":"d1","miimon":100,"updelay":0,"downdelay":0,"peer_notify_delay":0,"use_carrier":1,"arp_interval":0,"arp_missed_max":2,"arp_validate":null,"arp_all_targets":"any","primary_reselect":"always","fail_over_mac":"none","xmit_hash_policy":"layer2","resend_igmp":1,"num_peer_notif":1,"all_slaves_active":0,"min_links":0,"lp_interval":1,"packets_per_slave":1,"ad_lacp_active":"on","ad_lacp_rate":"slow","ad_select":"stable","tlb_dynamic_lb":1}');
  assert.is(bondJson({ mode: '802.3ad', adLacpRate: 1, adSelect: 7 } as never, names).ad_select, 'UNKNOWN');
});

test('bond port and vrf: state names, hardware address, prio; the table', () => {
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(bondPortJson({ state: 0, miiStatus: 0, linkFailureCount: 0, permHwaddr: '92:50:f4:69:76:15', queueId: 0, prio: 0 } as never, names)))),
    '{"state":"ACTIVE","mii_status":"UP","link_failure_count":0,"perm_hwaddr":"92:50:f4:69:76:15","queue_id":0,"prio":0}');
  assert.equal(bondPortJson({ adActorOperPortState: 0x3d } as never, names).ad_actor_oper_port_state_str, ['active', 'aggregating', 'in_sync', 'collecting', 'distributing']);
  assert.equal(vrfJson({ table: 10 } as never, names), { table: 10 });
  assert.equal(vrfPortJson({ table: 10 } as never, names), { table: 10 });
});

test.run();
