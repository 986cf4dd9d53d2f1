/*
 * The C floor for W4: a fresh process that dumps the IPv4 routes over
 * rtnetlink and decodes every message into a struct (the fields `ip route
 * show` prints), no library beyond libc and the kernel's uapi headers.
 * Written for netlink-ts's bench; compiled by the bench at run time.
 * Prints how many routes of table main it decoded.
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct route {
	uint8_t family, dst_len, type, scope, protocol;
	uint32_t table, oif, priority;
	uint8_t dst[16], gateway[16], prefsrc[16];
};

static void decode(const struct nlmsghdr *h, struct route *r)
{
	const struct rtmsg *m = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	memset(r, 0, sizeof(*r));
	r->family = m->rtm_family;
	r->dst_len = m->rtm_dst_len;
	r->type = m->rtm_type;
	r->scope = m->rtm_scope;
	r->protocol = m->rtm_protocol;
	r->table = m->rtm_table;
	for (const struct rtattr *a = RTM_RTA(m); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t n = RTA_PAYLOAD(a);
		switch (a->rta_type) {
		case RTA_DST: memcpy(r->dst, RTA_DATA(a), n > 16 ? 16 : n); break;
		case RTA_GATEWAY: memcpy(r->gateway, RTA_DATA(a), n > 16 ? 16 : n); break;
		case RTA_PREFSRC: memcpy(r->prefsrc, RTA_DATA(a), n > 16 ? 16 : n); break;
		case RTA_OIF: if (n >= 4) memcpy(&r->oif, RTA_DATA(a), 4); break;
		case RTA_PRIORITY: if (n >= 4) memcpy(&r->priority, RTA_DATA(a), 4); break;
		case RTA_TABLE: if (n >= 4) memcpy(&r->table, RTA_DATA(a), 4); break;
		}
	}
}

int main(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) { perror("socket"); return 1; }
	struct { struct nlmsghdr h; struct rtmsg m; } req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETROUTE, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.m = { .rtm_family = AF_INET },
	};
	if (send(fd, &req, sizeof(req), 0) < 0) { perror("send"); return 1; }
	static char buf[32768];
	struct route r;
	long count = 0;
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got < 0) { perror("recv"); return 1; }
		int left = (int)got;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE) { printf("%ld\n", count); close(fd); return 0; }
			if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "dump failed\n"); return 1; }
			if (h->nlmsg_type != RTM_NEWROUTE) continue;
			decode(h, &r);
			if (r.table == RT_TABLE_MAIN) count++;
		}
	}
}
