// The nsid family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { decodeNsid } from '../../rtnl/nsid.js';
import { type NsidMessage, nsidMessage } from '../../rtnl/nsid.js';
import type { FamilyDescriptor } from '../family.js';

export const nsidFamily: FamilyDescriptor<NsidMessage, 'nsid', 'list' | 'get' | 'set'> = {
  kind: 'nsid',
  schema: nsidMessage,
  getType: R.RTM_GETNSID,
  verbs: ['list', 'get', 'set'],
  newType: R.RTM_NEWNSID,
  delType: R.RTM_DELNSID,
  groups: [R.RTNLGRP_NSID],
  decode: decodeNsid,
  key: (n) => String(n.nsid),
  dump: [{ type: R.RTM_GETNSID, operation: 'netns list-id', headerSize: nsidMessage.headerSize, body: (w) => nsidMessage.encodePayload(w, { family: 'unspec' }) }],
};
