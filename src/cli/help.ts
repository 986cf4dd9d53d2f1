// What the command line knows about its own words, for `help`, usage errors
// and "did you mean": each object with the abbreviations iproute2 accepts for
// it (matches(): any prefix of at least `min` letters), its verbs and its
// usage text. The commands themselves still parse their words; this table only
// lets the dispatcher answer `help` and catch a mistyped verb before a
// command's module (and the library code it needs) is loaded.
import { matches } from './args.js';

export interface ObjectHelp {
  /** The object's names (neighbour and neighbor are one object). */
  names: string[];
  /** The fewest letters that name it (iproute2's rule: `ru` for rule, `net` for netns). */
  min: number;
  /** Its verbs; undefined when it takes no verb (monitor takes groups). */
  verbs?: string[];
  usage: string;
}

const FAMILY = 'OPTIONS := -4 | -6 | -j | -p | -s | -d | -br | -o | -c[=WHEN] | -n NAME';

export const OBJECTS: ObjectHelp[] = [
  { names: ['link'], min: 1, verbs: ['show', 'list', 'add', 'set', 'change', 'delete', 'property', 'help'], usage: `usage: netlink-ts [OPTIONS] link show [ [dev] NAME | up | master M | type KIND | group G ]
       netlink-ts link add [link DEV] [name] NAME [txqueuelen N] [address LLADDR] [mtu MTU] [netns NS] type KIND [ARGS]
       netlink-ts link set { [dev] NAME | group G } [up | down] [name NEW] [mtu MTU] [master M | nomaster] [netns NS] ...
       netlink-ts link delete { [dev] NAME | group G }
       netlink-ts link property { add | del } [dev] NAME altname ALTNAME...
${FAMILY}` },
  { names: ['address'], min: 1, verbs: ['show', 'list', 'lst', 'add', 'change', 'chg', 'replace', 'delete', 'flush', 'help'], usage: `usage: netlink-ts [OPTIONS] address show [ [dev] NAME ] [scope SCOPE]
       netlink-ts address { add | change | replace | del } PREFIX [peer P] [broadcast B] [scope S] dev NAME [label L]
                          [metric N] [valid_lft LFT] [preferred_lft LFT] [FLAG...]
       netlink-ts address flush [dev] NAME
${FAMILY}` },
  { names: ['route'], min: 1, verbs: ['show', 'list', 'lst', 'get', 'flush', 'add', 'delete', 'replace', 'append', 'prepend', 'change', 'chg', 'test', 'save', 'restore', 'showdump', 'help'], usage: `usage: netlink-ts [OPTIONS] route { show | flush | save } [ SELECTOR ]
       netlink-ts route { restore | showdump } < FILE
       netlink-ts route get ADDRESS [from ADDRESS] [iif NAME] [oif NAME] [mark N]
       netlink-ts route { add | del | change | append | replace | prepend } ROUTE
ROUTE := [ TYPE ] PREFIX [ via [ FAMILY ] ADDRESS ] [ dev NAME ] [ table TABLE ] [ proto PROTO ]
         [ scope SCOPE ] [ metric N ] [ src ADDRESS ] [ METRICS ] [ onlink ] [ nexthop NH ]...
${FAMILY}` },
  { names: ['neighbour', 'neighbor'], min: 1, verbs: ['show', 'list', 'lst', 'get', 'flush', 'add', 'replace', 'change', 'delete', 'help'], usage: `usage: netlink-ts [OPTIONS] neigh { show | flush } [ to PREFIX ] [ dev NAME ] [ nud STATE ] [ proxy ]
       netlink-ts neigh get ADDRESS dev NAME
       netlink-ts neigh { add | replace | change | del } ADDRESS [ lladdr LLADDR ] [ nud STATE ] [ proxy ] dev NAME
${FAMILY}` },
  { names: ['rule'], min: 2, verbs: ['show', 'list', 'lst', 'flush', 'add', 'delete', 'help'], usage: `usage: netlink-ts [OPTIONS] rule { show | flush } [ SELECTOR ]
       netlink-ts rule { add | del } [ not ] [ from PREFIX ] [ to PREFIX ] [ iif NAME ] [ oif NAME ] [ fwmark M[/MASK] ]
                       [ priority N ] [ table TABLE | goto N | blackhole | unreachable | prohibit ] ...
${FAMILY}` },
  { names: ['nexthop'], min: 3, verbs: ['show', 'list', 'lst', 'get', 'flush', 'add', 'replace', 'delete', 'bucket', 'help'], usage: `usage: netlink-ts [OPTIONS] nexthop { show | flush } [ protocol ID ] [ id ID ] [ dev DEV ] [ master DEV ] [ groups ] [ fdb ]
       netlink-ts nexthop { add | replace } id ID { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ] | group ID[,WEIGHT]/... [ fdb ] [ type { mpath | resilient [ buckets N ] [ idle_timer S ] [ unbalanced_timer S ] } ] } [ protocol ID ]
       netlink-ts nexthop { get | del } id ID
       netlink-ts nexthop bucket { show [ id ID ] [ nhid ID ] [ dev DEV ] [ master DEV ] | get id ID index N }
${FAMILY}` },
  { names: ['addrlabel'], min: 5, verbs: ['list', 'lst', 'show', 'add', 'delete', 'flush', 'help'], usage: `usage: netlink-ts [OPTIONS] addrlabel { add | del } prefix PREFIX [ dev DEV ] label LABEL
       netlink-ts addrlabel [ list | flush ]
${FAMILY}` },
  { names: ['ntable'], min: 2, verbs: ['show', 'list', 'lst', 'change', 'chg', 'help'], usage: `usage: netlink-ts [OPTIONS] ntable show [ dev DEV ] [ name NAME ]
       netlink-ts ntable change name NAME [ dev DEV ] [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ] [ PARMS ]
${FAMILY}` },
  { names: ['stats'], min: 2, verbs: ['show', 'help'], usage: `usage: netlink-ts [OPTIONS] stats show [ dev DEV ] group link
${FAMILY}` },
  { names: ['netconf'], min: 4, verbs: ['show', 'list', 'lst', 'help'], usage: `usage: netlink-ts [OPTIONS] netconf show [ dev NAME ]
${FAMILY}` },
  { names: ['qdisc'], min: 1, verbs: ['show', 'list', 'lst', 'add', 'change', 'replace', 'link', 'delete', 'help'], usage: `usage: netlink-ts [OPTIONS] qdisc show [ dev NAME ]
       netlink-ts qdisc { add | change | replace | link | del } dev NAME [ handle H ] { root | ingress | clsact | parent P } [ KIND [ ARGS ] ]
       (like tc qdisc)` },
  { names: ['class'], min: 1, verbs: ['show', 'list', 'lst', 'add', 'change', 'replace', 'delete', 'help'], usage: `usage: netlink-ts [OPTIONS] class show dev NAME [ parent P ]
       netlink-ts class { add | change | replace | del } dev NAME parent P [ classid C ] [ KIND [ ARGS ] ]
       (like tc class)` },
  { names: ['chain'], min: 2, verbs: ['show', 'list', 'lst', 'add', 'delete', 'get', 'help'], usage: `usage: netlink-ts [OPTIONS] chain show { dev NAME [ parent P ] | block N }
       (like tc chain; add, del and get are not in this version)` },
  { names: ['filter'], min: 1, verbs: ['show', 'list', 'lst', 'get', 'add', 'change', 'replace', 'delete', 'help'], usage: `usage: netlink-ts [OPTIONS] filter show { dev NAME [ parent P ] | block N } [ protocol PROTO ] [ prio N ] [ chain N ]
       netlink-ts filter get { dev NAME parent P | block N } protocol PROTO prio N handle H KIND
       netlink-ts filter { add | change | replace | del } dev NAME parent P [ protocol PROTO ] [ prio N ] [ handle H ] [ KIND [ ARGS ] ]
       (like tc filter)` },
  { names: ['tuntap', 'tap'], min: 2, verbs: ['add', 'delete', 'show', 'list', 'lst', 'help'], usage: `usage: netlink-ts [-n NAME] tuntap { add | del | show | list | lst | help } [ dev NAME ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]
(like ip tuntap; -j and -d as ip's)` },
  { names: ['bridge'], min: 2, verbs: ['fdb', 'link', 'vlan', 'mdb', 'monitor', 'help'], usage: `usage: netlink-ts [-j] [-d] [-s] [-n NAME] bridge { fdb | link | vlan | mdb } { show | add | del | ... }
       netlink-ts bridge fdb { add | append | del | replace } ADDR dev DEV [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ] { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
              [ via DEV ] [ src_vni VNI ]
       netlink-ts bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ] [ state STATE ] [ dynamic ] ]
       netlink-ts bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ] [ guard {on | off} ] [ hairpin {on | off} ]
              [ fastleave {on | off} ] [ root_block {on | off} ] [ learning {on | off} ] [ learning_sync {on | off} ] [ flood {on | off} ]
              [ mcast_router MULTICAST_ROUTER ] [ mcast_flood {on | off} ] [ bcast_flood {on | off} ] [ mcast_to_unicast {on | off} ]
              [ neigh_suppress {on | off} ] [ vlan_tunnel {on | off} ] [ isolated {on | off} ] [ locked {on | off} ]
              [ hwmode {vepa | veb} ] [ backup_port DEVICE ] [ nobackup_port ] [ self ] [ master ]
       netlink-ts bridge link show [ dev DEV ]
       netlink-ts bridge vlan { add | del } vid VLAN_ID[-VLAN_END] dev DEV [ tunnel_info id TUNNEL_ID[-END] ] [ pvid ] [ untagged ] [ self ] [ master ]
       netlink-ts bridge vlan { show | tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
       netlink-ts bridge mdb { add | del } dev DEV port PORT grp GROUP [ permanent | temp ] [ vid VID ]
       netlink-ts bridge mdb show [ dev DEV ] [ vid VID ]
       netlink-ts [-j] bridge monitor [ fdb | mdb | all ]   (Ctrl-C stops it)
(like iproute2's bridge)` },
  { names: ['monitor'], min: 3, usage: `usage: netlink-ts [-j] monitor [ all | GROUP... ]
GROUP := link | address | route | neigh | rule | nsid | tc | ...   (like ip monitor; stop it with Ctrl-C)` },
  { names: ['netns'], min: 3, verbs: ['list', 'show', 'lst', 'add', 'attach', 'set', 'delete', 'identify', 'pids', 'list-id', 'exec', 'help'], usage: `usage: netlink-ts netns list
       netlink-ts netns add NAME
       netlink-ts netns attach NAME PID
       netlink-ts netns set NAME NETNSID|auto
       netlink-ts netns delete NAME
       netlink-ts netns delete -all [--prefix P] [--dry-run]   every named namespace (or those whose name starts with P)
       netlink-ts netns identify [PID]
       netlink-ts netns pids NAME
       netlink-ts netns list-id [target-nsid ID] [nsid ID]
       netlink-ts netns exec NAME [--] COMMAND [ARGS...]` },
  { names: ['ss'], min: 2, usage: `usage: netlink-ts ss [ OPTIONS ] [ FILTER ]
   -t, --tcp         TCP sockets             -u, --udp          UDP sockets
   -w, --raw         raw sockets             -x, --unix         UNIX sockets
   -0, --packet      packet sockets          -A, --query QUERY  tables: all, inet, tcp, udp, raw, unix, packet, netlink
   -4, --ipv4        IPv4 only               -6, --ipv6         IPv6 only
   -f, --family F    inet, inet6, unix, packet, netlink
   -a, --all         every state             -l, --listening    listening (and unconnected) sockets
   -n, --numeric     (always numeric)        -H, --no-header    no header line
   -p, --processes   processes using them    -e, --extended     inode, cookie, cgroup...
   -m, --memory      socket memory           -i, --info         TCP information
   -o, --options     timers                  -K, --kill         destroy the TCP/UDP sockets listed (CAP_NET_ADMIN)
   -N, --net NAME    in namespace NAME       -j, --json         JSON output
   FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
   STATE-FILTER := { all | connected | synchronized | bucket | big | STATE }
   EXPRESSION := sport = :PORT | dport OP :PORT | src ADDR[/LEN][:PORT] | dst ... | and | or | not | ( ... )` },
  { names: ['genl'], min: 4, usage: `usage: netlink-ts genl list
       netlink-ts genl --family NAME { --do | --dump } OP [--json ATTRS]
ATTRS is a JSON object of the operation's request attributes, named as in the
family's YNL spec, e.g. --json '{"ifindex":1}'.` },
  { names: ['nft'], min: 3, usage: `usage: netlink-ts nft list { ruleset [FAMILY] | tables [FAMILY] | table FAMILY NAME | chain FAMILY TABLE NAME } [-j]
       netlink-ts nft -f FILE
       netlink-ts nft { apply | plan } FILE
FILE is the JSON form of a ruleset, as nft -j list ruleset prints it and nft -j -f reads it
(the objects and statements docs/netfilter.md lists). apply makes each table FILE names hold
exactly what FILE describes, in one transaction; plan shows what apply would change.` },
  { names: ['conntrack'], min: 5, usage: `usage: netlink-ts [ -n NAME ] conntrack COMMAND [ OPTIONS ]
COMMAND := -L [conntrack|expect] | -G | -D | -F | -E | -S | -C | -I | -U
OPTIONS := -p PROTO | -s SRC | -d DST | -r REPLY_SRC | -q REPLY_DST | --sport PORT | --dport PORT |
           --reply-port-src PORT | --reply-port-dst PORT | -m MARK[/MASK] | --zone ZONE | -f ipv4|ipv6 |
           -u STATUS[,STATUS] | -t TIMEOUT | --state TCP_STATE | --icmp-type T | --icmp-code C | --icmp-id ID |
           -e NEW,UPDATE,DESTROY | -o json|extended | --json
As conntrack-tools: -L lists, -G gets one entry by its tuple, -D deletes what the options select,
-F empties the table, -E prints events, -S per-CPU statistics, -C the entry count, -I creates,
-U sets the mark (-m) of what the other options select.` },
  { names: ['ethtool'], min: 7, usage: `usage: netlink-ts ethtool [ --json ] [ OPTION ] DEVNAME [ ARGS ]
OPTION := { -i | -k | -K | -g | -G | -l | -L | -c | -C | -a | -A | --show-eee | --set-eee | -S | --show-priv-flags | --set-priv-flags }
(like ethtool; "netlink-ts ethtool --help" lists each option's arguments)` },
  { names: ['mptcp'], min: 2, verbs: ['endpoint', 'limits', 'monitor', 'help'], usage: `usage: netlink-ts mptcp endpoint add ADDRESS [ dev IFNAME ] [ id ID ] [ port NR ] [ FLAG-LIST ]
       netlink-ts mptcp endpoint delete id ID [ ADDRESS ]
       netlink-ts mptcp endpoint change id ID [ backup | nobackup | fullmesh | nofullmesh ]
       netlink-ts mptcp endpoint show [ id ID ]
       netlink-ts mptcp endpoint flush
       netlink-ts mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]
       netlink-ts mptcp limits show
       netlink-ts mptcp monitor
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG := [ signal | subflow | backup | fullmesh ]
(like ip mptcp)` },
  { names: ['tcp_metrics', 'tcpmetrics'], min: 2, verbs: ['show', 'list', 'lst', 'delete', 'flush', 'help'], usage: `usage: netlink-ts tcp_metrics { show | flush } [ [ address ] PREFIX ] [ src PREFIX ]
       netlink-ts tcp_metrics delete [ address ] ADDRESS [ src ADDRESS ]
       netlink-ts tcp_metrics flush all
(like ip tcp_metrics; -4 or -6 picks one family)` },
  { names: ['lab'], min: 3, verbs: ['validate', 'graph', 'up', 'down', 'status', 'show', 'exec', 'ping', 'run', 'plan', 'apply', 'check', 'generate', 'view', 'help'], usage: `usage: netlink-ts lab { validate | graph | up | down | status | show | ping | plan | apply | check | view } FILE [ARGS]
       netlink-ts lab generate SHAPE N... [--name NAME] [-o FILE]
       netlink-ts lab exec FILE NS [--] COMMAND [ARGS...]
       netlink-ts lab view FILE [--port N]
       netlink-ts lab run FILE...` },
];

export const GLOBAL_USAGE = `usage: netlink-ts [ OPTIONS ] OBJECT { COMMAND | help }
       netlink-ts [ -force ] -batch FILE
       netlink-ts help [ OBJECT ]
OBJECT := { link | address | route | neighbour | rule | nexthop | netconf | addrlabel | ntable | stats | qdisc | class | filter | chain | tuntap | bridge | monitor | netns | ss | genl | conntrack | ethtool | mptcp | tcp_metrics | nft | lab }
OPTIONS := { -V[ersion] | -4 | -6 | -f[amily] { inet | inet6 } | -j[son] | -p[retty] | -s[tatistics] |
             -d[etails] | -br[ief] | -o[neline] | -c[olor][={always|auto|never}] | -n[etns] NAME |
             -b[atch] FILE | -force | -h[elp] }
Objects and verbs may be shortened as ip allows (a, r, l s, n, ro sh); "netlink-ts OBJECT help" shows an object's words.`;

/** The object a word names, by iproute2's abbreviation rule. */
export function objectOf(word: string): ObjectHelp | undefined {
  return OBJECTS.find((o) => o.names.some((n) => matches(word, n, o.min)));
}

/** Whether `word` is one of the object's verbs or a prefix of one (the command itself decides the finer rules). */
export function isVerb(o: ObjectHelp, word: string): boolean {
  return o.verbs === undefined || o.verbs.some((v) => v.startsWith(word));
}

export const HELP_WORDS = new Set(['help', '--help', '-h', '-help']);
