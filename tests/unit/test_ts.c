// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ts.c: traffic selectors in text and as Quick Mode ID payloads
 * (addresses, subnets, ranges, protocol and port), their round trips, the
 * ranges that are one prefix and those refused, and config's use of them.
 */
#include <string.h>

#include "config.h"
#include "isakmp.h"
#include "tap.h"
#include "ts.h"

static const char *ts_text(const char *s)
{
	static char buf[IKE_TS_TEXT], err[200];
	struct ike_ts ts;

	if (ike_ts_parse("local_ts", s, &ts, err, sizeof(err)) < 0)
		return err;
	return ike_ts_str(&ts, buf, sizeof(buf));
}

static void parse(void)
{
	char err[200] = "";
	struct ike_ts ts;

	CHECK(!strcmp(ts_text("10.1.0.0/24"), "10.1.0.0/24"), "prefix: %s", ts_text("10.1.0.0/24"));
	CHECK(!strcmp(ts_text("10.1.0.1"), "10.1.0.1/32"), "bare address is a host");
	CHECK(!strcmp(ts_text("10.1.0.0-10.1.0.255"), "10.1.0.0-10.1.0.255"),
	      "range that is one prefix kept as a range: %s", ts_text("10.1.0.0-10.1.0.255"));
	CHECK(!strcmp(ts_text("10.1.0.0/24[udp/1701]"), "10.1.0.0/24[udp/1701]"),
	      "protocol and port: %s", ts_text("10.1.0.0/24[udp/1701]"));
	CHECK(!strcmp(ts_text("fd00:1::/64[tcp]"), "fd00:1::/64[tcp]"), "IPv6, protocol only");
	CHECK(!strcmp(ts_text("fd00:1::/64[17/%any]"), "fd00:1::/64[udp]"),
	      "protocol by number, port %%any: %s", ts_text("fd00:1::/64[17/%any]"));
	CHECK(ike_ts_parse("local_ts", "fd00::-fd00::ffff", &ts, err, sizeof(err)) == 0 &&
	      ts.plen == 112 && ts.range, "IPv6 range /112");
	CHECK(ike_ts_parse("local_ts", "10.1.0.5-10.1.0.9", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "local_ts: range 10.1.0.5-10.1.0.9 is not one prefix"),
	      "range that no prefix covers refused: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.9-10.1.0.5", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "ends before it starts"), "backwards range: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.0-fd00::1", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "one family"), "range across families: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.0/24[icmp/7]", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "has no ports"), "ICMP with a port: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.0/24[udp/70000]", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "PORT 0..65535"), "port out of range: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.0/24[udp", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "at the end"), "unclosed bracket: %s", err);
	CHECK(ike_ts_parse("local_ts", "10.1.0.1/24", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "10.1.0.0/24"), "host bits set: %s", err);
	CHECK(ike_ts_parse("local_ts", "any", &ts, err, sizeof(err)) < 0 &&
	      strstr(err, "0.0.0.0/0"), "any refused with what to write: %s", err);
}

/* @s to an ID body and back: same selector, ID type @type, @len bytes. */
static void round_trip(const char *s, uint8_t type, size_t len)
{
	struct ike_ts a, b;
	uint8_t id[IKE_TS_ID_MAX];
	char err[200] = "";
	size_t n;

	if (ike_ts_parse("t", s, &a, err, sizeof(err)) < 0) {
		CHECK(0, "%s parses: %s", s, err);
		return;
	}
	n = ike_ts_to_id(&a, id);
	CHECK(n == len && id[0] == type && ike_ts_from_id(id, n, &b, err, sizeof(err)) == 0 &&
	      ike_ts_same(&a, &b) && a.range == b.range,
	      "%s: ID type %u, %zu bytes, back the same", s, id[0], n);
}

static void ids(void)
{
	static const uint8_t range_odd[] = { ID_IPV4_ADDR_RANGE, 0, 0, 0, 10, 1, 0, 5, 10, 1, 0, 9 };
	static const uint8_t range_net[] = { ID_IPV4_ADDR_RANGE, 17, 0x06, 0xa5, 10, 1, 0, 0,
					     10, 1, 0, 255 };
	static const uint8_t subnet_host[] = { ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 1, 0, 7,
					       255, 255, 255, 0 };
	static const uint8_t subnet_holes[] = { ID_IPV4_ADDR_SUBNET, 0, 0, 0, 10, 1, 0, 0,
						255, 0, 255, 0 };
	static const uint8_t fqdn[] = { ID_FQDN, 0, 0, 0, 'a' };
	static const uint8_t addr_long[] = { ID_IPV4_ADDR, 0, 0, 0, 10, 1, 0, 0, 0 };
	struct ike_ts ts, want;
	char why[200] = "";

	round_trip("192.0.2.1", ID_IPV4_ADDR, 8);
	round_trip("10.1.0.0/24", ID_IPV4_ADDR_SUBNET, 12);
	round_trip("10.1.0.0-10.1.0.255[udp/1701]", ID_IPV4_ADDR_RANGE, 12);
	round_trip("fd00:1::/64[tcp/443]", ID_IPV6_ADDR_SUBNET, 36);
	round_trip("fd00:1::-fd00:1::ffff:ffff", ID_IPV6_ADDR_RANGE, 36);
	round_trip("2001:db8::1", ID_IPV6_ADDR, 20);
	CHECK(ike_ts_from_id(range_odd, sizeof(range_odd), &ts, why, sizeof(why)) < 0 &&
	      strstr(why, "range 10.1.0.5-10.1.0.9 is not one prefix"), "range ID not a prefix: %s",
	      why);
	ike_ts_parse("t", "10.1.0.0/24[udp/1701]", &want, why, sizeof(why));
	CHECK(ike_ts_from_id(range_net, sizeof(range_net), &ts, why, sizeof(why)) == 0 &&
	      ike_ts_same(&ts, &want), "range ID the same as the subnet it covers, with protocol "
	      "and port");
	ike_ts_parse("t", "10.1.0.0/24", &want, why, sizeof(why));
	CHECK(ike_ts_from_id(subnet_host, sizeof(subnet_host), &ts, why, sizeof(why)) == 0 &&
	      ike_ts_same(&ts, &want), "subnet ID with host bits set: the network");
	CHECK(ike_ts_from_id(subnet_holes, sizeof(subnet_holes), &ts, why, sizeof(why)) < 0 &&
	      strstr(why, "not a prefix"), "subnet mask with holes refused: %s", why);
	CHECK(ike_ts_from_id(fqdn, sizeof(fqdn), &ts, why, sizeof(why)) < 0 &&
	      strstr(why, "ID type 2"), "FQDN is no selector: %s", why);
	CHECK(ike_ts_from_id(addr_long, sizeof(addr_long), &ts, why, sizeof(why)) < 0 &&
	      strstr(why, "9 bytes"), "address ID of the wrong length: %s", why);
	CHECK(ike_ts_from_id(addr_long, 3, &ts, why, sizeof(why)) < 0, "ID under 4 bytes");
}

static void config(void)
{
	struct ike_config cfg;
	char err[300] = "";

	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tlocal_ts = 10.1.0.0-10.1.0.255\n"
			       "\tremote_ts = 10.2.0.0/24[udp/7777]\n", &cfg, err, sizeof(err)) == 0 &&
	      cfg.conns[0].lts.range && cfg.conns[0].lts.proto == 17 && !cfg.conns[0].lts.port &&
	      cfg.conns[0].rts.port == 7777,
	      "a protocol on one side is the other's too (%s)", err);
	ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tlocal_ts = 10.1.0.0/24[tcp]\n\tremote_ts = 10.2.0.0/24[udp]\n", &cfg,
			       err, sizeof(err)) < 0 && strstr(err, "different protocols"),
	      "two protocols refused: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tlocal_ts = 10.1.0.7-10.1.0.9\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: local_ts: range"), "bad range names the line: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tmode = transport\n\tremote_ts = 192.0.2.2[tcp/22]\n", &cfg, err,
			       sizeof(err)) == 0 && cfg.conns[0].lts.proto == 6 &&
	      cfg.conns[0].rts.port == 22, "transport mode: the hosts, one protocol and port (%s)",
	      err);
	ike_config_free(&cfg);
}

int main(void)
{
	parse();
	ids();
	config();
	return tap_done();
}
