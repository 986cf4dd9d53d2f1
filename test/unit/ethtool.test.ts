// The ethtool, mptcp and tcp_metrics layers that need no kernel: bit sets in
// both forms, feature names (kernel and ethtool's legacy words), the text
// layouts the kernel tests cannot reach on this machine's devices (link
// modes, pause and wake-on lines, message level), and the command words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changeBits, readBits } from '../../src/ethtool/bitset.js';
import { FeatureNameError, patternMatch, resolveFeature } from '../../src/ethtool/features.js';
import { featureChangesText, pauseJson, pauseText, settingsText } from '../../src/cli/ethtool-text.js';
import { parseEthtoolWords } from '../../src/cli/commands/ethtool.js';
import { mptcpEventText, endpointText } from '../../src/cli/commands/mptcp.js';
import { tcpMetricsJson, tcpMetricsText } from '../../src/cli/commands/tcp-metrics.js';
import { tcpMetricsOf } from '../../src/tcp-metrics/client.js';
import { endpointOf } from '../../src/mptcp/client.js';
import { eeeRequest } from '../../src/ethtool/client.js';
import { GenlCodec } from '../../src/genl/message.js';
import { spec as ethtoolSpec } from '../../src/generated/ynl/ethtool.js';
import { UsageError } from '../../src/cli/args.js';

const words = (...w: number[]): Buffer => { const b = Buffer.alloc(4 * w.length); w.forEach((x, i) => b.writeUInt32LE(x >>> 0, 4 * i)); return b; };

test('bit sets: compact with and without a mask, verbose with and without one', () => {
  const compact = readBits({ size: 40, value: words(0b1010, 0x80), mask: words(0b1110, 0x80) });
  assert.equal([0, 1, 2, 3, 39].map((i) => compact.on(i)), [false, true, false, true, true]);
  assert.equal([0, 1, 2, 3, 39].map((i) => compact.inMask(i)), [false, true, true, true, true]);
  assert.is(compact.on(40), false); // past size
  const nomask = readBits({ nomask: true, size: 3, value: words(0b101) });
  assert.equal([0, 1, 2, 3].map((i) => [nomask.on(i), nomask.inMask(i)]), [[true, true], [false, true], [true, true], [false, false]]);
  const verbose = readBits({ size: 9, bits: { bit: [{ index: 1, name: 'Autoneg', value: true }, { index: 8, name: 'TP' }] } });
  assert.equal([verbose.on(1), verbose.inMask(1), verbose.on(8), verbose.inMask(8), verbose.inMask(2)], [true, true, false, true, false]);
  assert.is(verbose.names.get(8), 'TP');
  const list = readBits({ nomask: true, size: 9, bits: { bit: [{ index: 4, name: 'x' }] } });
  assert.equal([list.on(4), list.on(3), list.inMask(3)], [true, false, true]);
  // Truncated words and no set at all read as off, never throw.
  assert.is(readBits({ size: 64, value: words(1) }).on(40), false);
  assert.is(readBits(undefined).on(0), false);
  assert.equal(changeBits(new Map([[3, true], [5, false]])), { bits: { bit: [{ index: 3, value: true }, { index: 5 }] } });
});

const NAMES = ['tx-scatter-gather', 'tx-checksum-ipv4', '', 'tx-checksum-ip-generic', 'tx-tcp-segmentation', 'tx-tcp6-segmentation', 'rx-gro', 'rx-lro', 'tx-scatter-gather-fraglist'];

test('feature names: kernel names, ethtool\'s short and long words, close names for unknown ones', () => {
  assert.ok(patternMatch('tx-tcp6-segmentation', 'tx-tcp*-segmentation'));
  assert.ok(patternMatch('tx-tcp-segmentation', 'tx-tcp*-segmentation'));
  assert.not.ok(patternMatch('tx-tcp-segmentatio', 'tx-tcp*-segmentation'));
  assert.equal(resolveFeature('rx-gro', NAMES, 'v0'), [6]);
  assert.equal(resolveFeature('gro', NAMES, 'v0'), [6]);
  assert.equal(resolveFeature('tx-checksumming', NAMES, 'v0'), [1, 3]);
  assert.equal(resolveFeature('tso', NAMES, 'v0'), [4, 5]);
  assert.equal(resolveFeature('sg', NAMES, 'v0'), [0, 8]);
  assert.throws(() => resolveFeature('', NAMES, 'v0'), (e: Error) => e instanceof FeatureNameError);
  assert.throws(() => resolveFeature('rx-gor', NAMES, 'v0'), (e: Error) => e instanceof FeatureNameError && /v0 has no feature "rx-gor" \(close: rx-gro/.test(e.message));
  assert.throws(() => resolveFeature('ntuple', NAMES, 'v0'), (e: Error) => /v0 has no feature "ntuple" stands for \(rx-ntuple-filter\)/.test(e.message));
});

test('ethtool DEV: link modes as ethtool lays them out (Half and Full on one line), ports, pause, FEC, partner, wake-on, message level', () => {
  const modes = ['10baseT/Half', '10baseT/Full', '100baseT/Half', '100baseT/Full', '1000baseT/Full', 'Autoneg', 'TP', 'MII', 'Pause', 'Asym_Pause', 'RS'];
  const text = settingsText('e0', {
    linkModes: { autoneg: 1, speed: 1000, duplex: 1, supported: modes, advertised: ['1000baseT/Full', 'Autoneg', 'Pause'], peer: ['100baseT/Full', 'Asym_Pause'] },
    linkInfo: { port: 0, phyaddr: 1, transceiver: 1, 'tp-mdix': 2, 'tp-mdix-ctrl': 3 },
    wol: { supported: ['phy', 'magic'], enabled: ['magic'] },
    debug: { msgmask: 7, enabled: ['drv', 'probe', 'link'] },
    linkState: { link: 1 },
  });
  const pad = ' '.repeat(24);
  assert.is(text, [
    'Settings for e0:',
    '\tSupported ports: [ TP\t MII ]',
    '\tSupported link modes:   10baseT/Half 10baseT/Full',
    `\t${pad}100baseT/Half 100baseT/Full`,
    `\t${pad}1000baseT/Full`,
    '\tSupported pause frame use: Symmetric Receive-only',
    '\tSupports auto-negotiation: Yes',
    '\tSupported FEC modes: RS',
    '\tAdvertised link modes:  1000baseT/Full',
    '\tAdvertised pause frame use: Symmetric',
    '\tAdvertised auto-negotiation: Yes',
    '\tAdvertised FEC modes: RS',
    '\tLink partner advertised link modes:  100baseT/Full',
    '\tLink partner advertised pause frame use: Transmit-only',
    '\tLink partner advertised auto-negotiation: No',
    '\tLink partner advertised FEC modes: No',
    '\tSpeed: 1000Mb/s',
    '\tDuplex: Full',
    '\tAuto-negotiation: on',
    '\tPort: Twisted Pair',
    '\tPHYAD: 1',
    '\tTransceiver: external',
    '\tMDI-X: on (auto)',
    '\tSupports Wake-on: pg',
    '\tWake-on: g',
    '        Current message level: 0x00000007 (7)',
    `${' '.repeat(30)} drv probe link`,
    '\tLink detected: yes',
    '',
  ].join('\n'));
  assert.is(settingsText('lo', { linkState: { link: 0 } }), 'Settings for lo:\n\tLink detected: no\n');
  assert.is(settingsText('x', {}), '');
  assert.match(settingsText('b', { linkModes: { speed: 0xffffffff, duplex: 255, supported: [], advertised: [] } }), '\tSpeed: Unknown!\n\tDuplex: Unknown! (255)\n');
});

test('-a as ethtool prints it, text and JSON', () => {
  assert.is(pauseText('e0', { autoneg: 0, rx: 1, tx: 1 }), 'Pause parameters for e0:\nAutonegotiate:\toff\nRX:\t\ton\nTX:\t\ton\n');
  assert.equal(pauseJson('e0', { autoneg: 0, rx: 1 }), { ifname: 'e0', autonegotiate: false, rx: true });
});

test('-K report: silent when everything asked was done and nothing else changed', () => {
  assert.is(featureChangesText({ changes: [{ name: 'rx-gro', index: 6, asked: true, active: true }], nothingChanged: false }), '');
  assert.is(featureChangesText({
    changes: [{ name: 'tx-checksum-ip-generic', index: 3, asked: true, active: false }, { name: 'tx-tcp-segmentation', index: 4, asked: false, active: false },
      { name: 'rx-lro', index: 7, asked: true, active: false, requested: true }],
    nothingChanged: false,
  }), 'Actual changes:\ntx-checksum-ip-generic: off\ntx-tcp-segmentation: off [not requested]\nrx-lro: off [requested on]\n');
});

test('ethtool words: options, --json, and ethtool\'s own complaints', () => {
  assert.equal(parseEthtoolWords(['v0'], false), { verb: 'settings', dev: 'v0', args: [], json: false });
  assert.equal(parseEthtoolWords(['--json', '-k', 'v0'], false), { verb: 'features', dev: 'v0', args: [], json: true });
  assert.equal(parseEthtoolWords(['-K', 'v0', 'gro', 'on'], true), { verb: 'set-features', dev: 'v0', args: ['gro', 'on'], json: true });
  assert.equal(parseEthtoolWords(['--show-priv-flags', 'v0'], false).verb, 'priv-flags');
  const usage = (w: string[], re: RegExp): void => assert.throws(() => parseEthtoolWords(w, false), (e: Error) => e instanceof UsageError && e.status === 1 && re.test(e.message));
  usage([], /bad command line/);
  usage(['-Z', 'v0'], /unknown option "-Z"/);
  usage(['-k'], /-k needs a device name/);
  usage(['-k', 'v0', 'extra'], /unexpected "extra"/);
});

test('tcp_metrics and mptcp lines as ip prints them', () => {
  const e = tcpMetricsOf({
    'addr-ipv4': 0xc6120002, 'saddr-ipv4': 0xc6120001, age: 1234n, 'tw-tsval': 5, 'tw-ts-stamp': 3,
    vals: { rtt: 1, 'rtt-us': 800, 'rttvar-us': 400, ssthresh: 7, cwnd: 10, reodering: 3 },
    'fopen-mss': 1460, 'fopen-syn-drops': 2, 'fopen-syn-drop-ts': 4000n, 'fopen-cookie': Buffer.from('0102', 'hex'),
  });
  assert.is(tcpMetricsText(e), '198.18.0.2 age 1.234sec tw_ts 5/3sec ago ssthresh 7 cwnd 10 reordering 3 rtt 100us rttvar 100us fo_mss 1460 fo_syn_drops 2/4sec ago fo_cookie 0102 source 198.18.0.1');
  assert.equal(tcpMetricsJson(e), {
    dst: '198.18.0.2', age: 1.234, tw_ts: 5, tw_ts_stamp: 3, ssthresh: 7, cwnd: 10, reordering: 3, rtt: 0.0001, rttvar: 0.0001,
    fopen_miss: 1460, fopen_syn_drops: 2, fopen_syn_drop_ts: 4000, fo_cookie: '0102', source: '198.18.0.1',
  });
  // Only the millisecond RTT (older kernels): ip scales it as the kernel stored it.
  assert.is(tcpMetricsOf({ 'addr-ipv4': 1, vals: { rtt: 8, rttvar: 4 } }).rttUs, 1000);
  assert.is(endpointText(endpointOf({ family: 2, addr4: 0xc6120001, id: 3, flags: 0x21, port: 99 }), 'eth0'), '198.18.0.1 port 99 id 3 signal rawflags 20 dev eth0 ');
  assert.is(mptcpEventText({ type: 1, name: 'created', attrs: { token: 0xab, 'rem-id': 0, 'loc-id': 1, saddr4: 0xc6120001, sport: 80, flags: 2 } }),
    '[       CREATED] token=000000ab remid=0 locid=1 saddr4=198.18.0.1 sport=80 flags=2');
  assert.is(mptcpEventText({ type: 15, name: 'listener-created', attrs: { sport: 80 } }), '[UNKNOWN 15]');
});

test('EEE change: enabled and tx-lpi-enabled go as the u8 the spec declares, and the request encodes', () => {
  const req = eeeRequest('eth0', { enabled: true, txLpiEnabled: false, txLpiTimer: 10 });
  assert.equal([req.enabled, req['tx-lpi-enabled'], req['tx-lpi-timer']], [1, 0, 10]);
  const codec = new GenlCodec(ethtoolSpec);
  // Before, the booleans went through and the encoder refused them ("expected an integer (u8), got true").
  codec.validate(codec.op('eee-set', 'do'), 'do', req);
});

test.run();
