// ethtool on a dummy device (the host kernel has none) and on an older
// kernel (6.1, whose feature names differ from the host's): the library's
// replies laid out by the CLI's printers equal what ethtool prints. In-process
// (no netlink-ts processes: one costs seconds under UML).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ethtool } from '../../src/ethtool/client.js';
import { driverInfoText, featureChangesText, featuresText, settingsText } from '../../src/cli/ethtool-text.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

test('dummy: features, settings and driver info as ethtool prints them; -K as ethtool reports it', async () => {
  ip('link', 'add', 'nlts-e0', 'type', 'dummy');
  ip('link', 'set', 'nlts-e0', 'up');
  try {
    using e = Ethtool.open();
    assert.is(featuresText('nlts-e0', await e.features('nlts-e0')), run('ethtool', ['-k', 'nlts-e0']));
    // dummy answers link modes? no: link state only, and link info; each part printed when the kernel answered it.
    const part = async <T>(get: () => Promise<T>): Promise<T | undefined> => get().catch(() => undefined);
    const settings = {
      linkModes: await part(() => e.linkModes('nlts-e0')), linkInfo: await part(() => e.linkInfo('nlts-e0')),
      wol: await part(() => e.wol('nlts-e0')), debug: await part(() => e.debug('nlts-e0')), linkState: await part(() => e.linkState('nlts-e0')),
    };
    const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    // ethtool exits non-zero when a part it asks for is refused, but prints the rest.
    const theirs = spawnSync('ethtool', ['nlts-e0'], { encoding: 'utf8' });
    assert.is(settingsText('nlts-e0', defined) || 'No data available\n', theirs.stdout, `ethtool nlts-e0 (status ${theirs.status}; ${theirs.stderr})`);
    assert.is(driverInfoText(e.driverInfo('nlts-e0')), run('ethtool', ['-i', 'nlts-e0']));
    const gro = (await e.features('nlts-e0')).find((f) => f.name === 'rx-gro')!;
    const r = await e.setFeatures('nlts-e0', { gro: !gro.active, tso: false });
    assert.is(featureChangesText(r), '');
    assert.match(run('ethtool', ['-k', 'nlts-e0']), `generic-receive-offload: ${gro.active ? 'off' : 'on'}\n`);
  } finally {
    ip('link', 'del', 'nlts-e0');
  }
});

test.run();
