// runuser's view of a user, read from passwd and group text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findUser, groupsOf } from '../../src/netns/user-db.js';

const passwd = [
  '# comment',
  'root:x:0:0:root:/root:/bin/bash',
  'broken:x:12',
  'bad-gid:x:13:abc::/:/bin/sh',
  'alice:x:1000:1000:Alice:/home/alice:/bin/sh',
  'alias:x:1000:7::/:/bin/sh',
  '',
].join('\n');
const group = [
  'root:x:0:',
  'alice:x:1000:',
  'wheel:x:10:bob,alice',
  'audio:x:29:alice',
  'alicex:x:30:alicex',
  'short:x:31',
  'again:x:1000:alice',
  'video:x:44:carol,alice,dave',
].join('\n');

test('a uid is found as getpwuid finds it (first entry wins); broken lines are skipped', () => {
  assert.equal(findUser(1000, passwd), { name: 'alice', gid: 1000 });
  assert.equal(findUser(0, passwd), { name: 'root', gid: 0 });
  assert.is(findUser(12, passwd), undefined);
  assert.is(findUser(13, passwd), undefined);
  assert.is(findUser(4242, passwd), undefined);
});

test('groups as initgroups gives them: the primary first, then each group listing the name exactly, no repeats', () => {
  assert.equal(groupsOf('alice', 1000, group), [1000, 10, 29, 44]);
  assert.equal(groupsOf('root', 0, group), [0]);
  assert.equal(groupsOf('nobody', 65534, ''), [65534]);
});

test.run();
