// Moving a link into another network namespace, like `ip link set DEV netns
// NAME`: an RTM_NEWLINK carrying IFLA_NET_NS_FD, with the fd opened just for
// the request and closed after it. iproute2 also names the target by fd when
// given a pid (it opens /proc/PID/ns/net), and so does this.
import { RTM_NEWLINK } from '../generated/linux/rtnetlink.js';
import { type NetnsRef, describeRef, withNetnsFd } from '../netns/ref.js';
import type { Requester } from '../socket/netlink-socket.js';
import { linkRequest, linkSelector } from './families/link.js';
import type { LinkRef } from './link-spec.js';

/** Moves a link (by name or index) into the namespace; it keeps its name unless that is taken there. */
export async function moveLinkToNetns(sock: Requester, link: LinkRef, netns: NetnsRef): Promise<void> {
  const operation = `link set ${link} netns ${describeRef(netns).label}`;
  const selector = linkSelector(link);
  await withNetnsFd(netns, (fd) => sock.request(linkRequest(RTM_NEWLINK, 0, { ...selector, netnsFd: fd }, operation)), operation);
}
