// SPDX-License-Identifier: GPL-2.0
/* kipsec-iked.conf and kipsec-iked.secrets parsing. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "../tools/selector.h"
#include "config.h"
#include "isakmp.h"

static int fail(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = 0;
	return s;
}

int ike_id_parse(const char *s, struct ike_id *id)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);

	memset(id, 0, sizeof(*id));
	if (!n || n > IKE_ID_MAX)
		return -1;
	snprintf(id->text, sizeof(id->text), "%s", s);
	if (inet_pton(AF_INET, s, id->data) == 1) {
		id->type = ID_IPV4_ADDR;
		id->len = 4;
	} else if (inet_pton(AF_INET6, s, id->data) == 1) {
		id->type = ID_IPV6_ADDR;
		id->len = 16;
	} else if (at && at != s) {
		id->type = ID_USER_FQDN;
		memcpy(id->data, s, n);
		id->len = n;
	} else {
		if (at == s) {
			s++;
			n--;
		}
		if (!n)
			return -1;
		id->type = ID_FQDN;
		memcpy(id->data, s, n);
		id->len = n;
	}
	return 0;
}

static int parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max || *v == '-')
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/*
 * lifebytes: 0 (none) or at least 10 KiB (smaller would rekey for every
 * few packets), at most what a 32-bit count of kilobytes holds.
 */
static int parse_lifebytes(const char *v, uint64_t *out)
{
	const uint64_t max = (uint64_t)UINT32_MAX * 1024;
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || (x && x < 10240) || x > max)
		return -1;
	*out = x;
	return 0;
}

/* The connection's yes/no setting named @k, or NULL. */
static bool *flag_key(struct ike_conn *c, const char *k)
{
	if (!strcmp(k, "per_cpu"))
		return &c->per_cpu;
	if (!strcmp(k, "aggressive"))
		return &c->aggressive;
	if (!strcmp(k, "nat_traversal"))
		return &c->nat_traversal;
	if (!strcmp(k, "force_encap"))
		return &c->force_encap;
	return NULL;
}

static int set_key(struct ike_conn *c, const char *file, int line, const char *k, char *v,
		   char *err, size_t errlen)
{
	struct kipsec_err e;
	char perr[200];
	bool *flag;
	int g;

	if (!strcmp(k, "local") || !strcmp(k, "remote")) {
		if (kipsec_addr_parse(k, v, !strcmp(k, "local") ? &c->local : &c->remote, &e) < 0)
			return fail(err, errlen, file, line, "%s", e.msg);
	} else if (!strcmp(k, "local_id") || !strcmp(k, "remote_id")) {
		if (ike_id_parse(v, !strcmp(k, "local_id") ? &c->local_id : &c->remote_id) < 0)
			return fail(err, errlen, file, line, "%s: bad identity \"%s\"", k, v);
	} else if (!strcmp(k, "auth")) {
		if (strcmp(v, "psk"))
			return fail(err, errlen, file, line, "auth: only psk is supported, got \"%s\"",
				    v);
	} else if (!strcmp(k, "ike")) {
		if (p1_props_parse(v, c->ike, &c->nike, perr, sizeof(perr)) < 0)
			return fail(err, errlen, file, line, "ike: %s", perr);
	} else if (!strcmp(k, "esp")) {
		if (p2_props_parse(v, c->esp, &c->nesp, perr, sizeof(perr)) < 0)
			return fail(err, errlen, file, line, "esp: %s", perr);
		c->esp_set = true;
	} else if (!strcmp(k, "ah")) {
		if (ah_props_parse(v, c->ah, &c->nah, perr, sizeof(perr)) < 0)
			return fail(err, errlen, file, line, "ah: %s", perr);
	} else if (!strcmp(k, "ike_lifetime") || !strcmp(k, "lifetime")) {
		/* short lifetimes are for rekey tests */
		uint32_t min = 20;

		if (parse_u32(v, min, 86400 * 7,
			      !strcmp(k, "lifetime") ? &c->lifetime : &c->ike_lifetime) < 0)
			return fail(err, errlen, file, line,
				    "%s: expected seconds between %u and 604800, got \"%s\"", k, min,
				    v);
	} else if (!strcmp(k, "lifebytes")) {
		if (parse_lifebytes(v, &c->lifebytes) < 0)
			return fail(err, errlen, file, line,
				    "lifebytes: expected 0 (none) or bytes between 10240 and "
				    "4398046510080, got \"%s\"", v);
	} else if (!strcmp(k, "local_ts") || !strcmp(k, "remote_ts")) {
		bool l = !strcmp(k, "local_ts");

		char why[200];

		if (ike_ts_parse(k, v, l ? &c->lts : &c->rts, why, sizeof(why)) < 0)
			return fail(err, errlen, file, line, "%s", why);
	} else if (!strcmp(k, "mode")) {
		if (!strcmp(v, "tunnel"))
			c->mode = ENCAP_TUNNEL;
		else if (!strcmp(v, "transport"))
			c->mode = ENCAP_TRANSPORT;
		else
			return fail(err, errlen, file, line,
				    "mode: expected tunnel or transport, got \"%s\"", v);
	} else if (!strcmp(k, "pfs")) {
		g = dh_group_parse(v);
		if (g < 0)
			return fail(err, errlen, file, line, "pfs: unknown DH group \"%s\"", v);
		c->pfs = (uint16_t)g;
	} else if (!strcmp(k, "start_action")) {
		if (!strcmp(v, "add"))
			c->start = START_ADD;
		else if (!strcmp(v, "start"))
			c->start = START_START;
		else if (!strcmp(v, "route"))
			c->start = START_ROUTE;
		else
			return fail(err, errlen, file, line,
				    "start_action: expected add, start or route, got \"%s\"", v);
	} else if ((flag = flag_key(c, k))) {
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return fail(err, errlen, file, line, "%s: expected yes or no, got \"%s\"", k,
				    v);
		*flag = !strcmp(v, "yes");
	} else if (!strcmp(k, "nat_keepalive")) {
		if (parse_u32(v, 0, 3600, &c->nat_keepalive) < 0)
			return fail(err, errlen, file, line,
				    "nat_keepalive: expected seconds between 0 and 3600, got \"%s\"",
				    v);
	} else if (!strcmp(k, "dpd_delay") || !strcmp(k, "dpd_timeout")) {
		bool dl = !strcmp(k, "dpd_delay");
		size_t n = strlen(v);

		/* swanctl writes "30s": take the suffix too */
		if (n > 1 && v[n - 1] == 's')
			v[n - 1] = '\0';
		if (parse_u32(v, dl ? 0 : 1, 86400, dl ? &c->dpd_delay : &c->dpd_timeout) < 0)
			return fail(err, errlen, file, line,
				    "%s: expected seconds between %u and 86400, got \"%s\"", k,
				    dl ? 0 : 1, v);
	} else if (!strcmp(k, "dpd_action")) {
		if (!strcmp(v, "clear"))
			c->dpd_action = DPD_CLEAR;
		else if (!strcmp(v, "restart"))
			c->dpd_action = DPD_RESTART;
		else if (!strcmp(v, "hold"))
			c->dpd_action = DPD_HOLD;
		else
			return fail(err, errlen, file, line,
				    "dpd_action: expected clear, restart or hold, got \"%s\"", v);
	} else if (!strcmp(k, "reqid")) {
		if (parse_u32(v, 1, UINT32_MAX, &c->reqid) < 0)
			return fail(err, errlen, file, line, "reqid: expected 1..4294967295, got \"%s\"",
				    v);
		c->reqid_set = true;
	} else {
		return fail(err, errlen, file, line, "unknown key \"%s\"", k);
	}
	return 0;
}

static void conn_defaults(struct ike_conn *c, const char *name, int line, uint32_t reqid)
{
	char perr[64];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->line = line;
	c->ike_lifetime = 10800;
	c->lifetime = 3600;
	/* swanctl's defaults: DPD off until dpd_delay is set, then 150 s and clear */
	c->dpd_timeout = 150;
	c->dpd_action = DPD_CLEAR;
	c->mode = ENCAP_TUNNEL;
	c->reqid = reqid;
	c->nat_traversal = true;
	c->nat_keepalive = 20;
	p1_props_parse("aes128-sha256-modp2048", c->ike, &c->nike, perr, sizeof(perr));
	p2_props_parse("aes128-sha256", c->esp, &c->nesp, perr, sizeof(perr));
}

/* Does @ts select host @a (whatever protocol and port)? */
static bool ts_is_host(const struct ike_ts *ts, const struct kipsec_addr *a)
{
	return ts->addr.family == a->family && ts->plen == a->len * 8 &&
	       !memcmp(ts->addr.bytes, a->bytes, a->len);
}

/* Finish a section: required keys, defaults that depend on others. */
static int conn_check(const char *file, struct ike_conn *c, char *err, size_t errlen)
{
	char buf[KIPSEC_ADDR_STRLEN];
	struct kipsec_err e;

	if (!c->local.family || !c->remote.family)
		return fail(err, errlen, file, c->line, "conn %s: needs local and remote", c->name);
	if (kipsec_addr_same_family("local and remote", &c->local, &c->remote, &e) < 0)
		return fail(err, errlen, file, c->line, "conn %s: %s", c->name, e.msg);
	if (!c->local_id.type)
		ike_id_parse(kipsec_addr_str(&c->local, buf), &c->local_id);
	if (!c->remote_id.type)
		ike_id_parse(kipsec_addr_str(&c->remote, buf), &c->remote_id);
	/* without traffic selectors the child protects the two hosts */
	if (!c->lts.addr.family)
		ike_ts_host(&c->lts, &c->local);
	if (!c->rts.addr.family)
		ike_ts_host(&c->rts, &c->remote);
	/*
	 * One policy selects one protocol: a protocol given on one side only
	 * is the other's too (as Libreswan's leftprotoport/rightprotoport).
	 */
	if (c->lts.proto && c->rts.proto && c->lts.proto != c->rts.proto)
		return fail(err, errlen, file, c->line,
			    "conn %s: local_ts and remote_ts name different protocols (%u, %u): "
			    "a policy selects one", c->name, c->lts.proto, c->rts.proto);
	if (!c->lts.proto)
		c->lts.proto = c->rts.proto;
	if (!c->rts.proto)
		c->rts.proto = c->lts.proto;
	if ((c->lts.port || c->rts.port) && !kipsec_l4proto_has_ports(c->lts.proto))
		return fail(err, errlen, file, c->line,
			    "conn %s: ports in local_ts/remote_ts need tcp, udp, sctp, udplite or dccp",
			    c->name);
	if (c->force_encap && !c->nat_traversal)
		return fail(err, errlen, file, c->line,
			    "conn %s: force_encap = yes needs nat_traversal = yes", c->name);
	if (c->nah && !c->esp_set)
		c->nesp = 0;
	if (c->nah && c->force_encap)
		return fail(err, errlen, file, c->line,
			    "conn %s: ah cannot cross a NAT (RFC 3948): no force_encap", c->name);
	if (c->nah && c->per_cpu)
		return fail(err, errlen, file, c->line,
			    "conn %s: per_cpu pairs are ESP only: not with ah", c->name);
	if (c->lts.addr.family != c->rts.addr.family)
		return fail(err, errlen, file, c->line,
			    "conn %s: local_ts and remote_ts are of different families", c->name);
	if (c->mode == ENCAP_TRANSPORT &&
	    (!ts_is_host(&c->lts, &c->local) || !ts_is_host(&c->rts, &c->remote)))
		return fail(err, errlen, file, c->line,
			    "conn %s: transport mode protects local and remote themselves: "
			    "local_ts/remote_ts must be those addresses", c->name);
	return 0;
}

int ike_config_parse(const char *name, const char *text, struct ike_config *cfg, char *err,
		     size_t errlen)
{
	const char *p = text;
	struct ike_conn *cur = NULL;
	int line = 0, i;

	memset(cfg, 0, sizeof(*cfg));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char buf[1024], *s, *eq;
		bool indented = n && (*p == ' ' || *p == '\t');

		line++;
		if (n >= sizeof(buf)) {
			fail(err, errlen, name, line, "line too long");
			goto bad;
		}
		memcpy(buf, p, n);
		buf[n] = 0;
		p += n + (nl ? 1 : 0);
		if ((s = strchr(buf, '#')))
			*s = 0;
		s = trim(buf);
		if (!*s)
			continue;
		if (!indented) {
			char *nm;
			struct ike_conn *nc;

			if (strncmp(s, "conn", 4) || (s[4] != ' ' && s[4] != '\t')) {
				fail(err, errlen, name, line, "expected \"conn NAME\", got \"%s\"", s);
				goto bad;
			}
			nm = trim(s + 5);
			if (!*nm || strlen(nm) >= sizeof(cur->name) || strpbrk(nm, " \t=")) {
				fail(err, errlen, name, line, "bad connection name \"%s\"", nm);
				goto bad;
			}
			for (i = 0; i < cfg->nconns; i++)
				if (!strcmp(cfg->conns[i].name, nm)) {
					fail(err, errlen, name, line, "conn %s defined twice", nm);
					goto bad;
				}
			if (cur && conn_check(name, cur, err, errlen) < 0)
				goto bad;
			nc = realloc(cfg->conns, sizeof(*nc) * (size_t)(cfg->nconns + 1));
			if (!nc) {
				fail(err, errlen, name, line, "out of memory");
				goto bad;
			}
			cfg->conns = nc;
			cur = &cfg->conns[cfg->nconns++];
			conn_defaults(cur, nm, line, (uint32_t)cfg->nconns);
			continue;
		}
		if (!cur) {
			fail(err, errlen, name, line, "\"%s\" outside a conn section", s);
			goto bad;
		}
		eq = strchr(s, '=');
		if (!eq) {
			fail(err, errlen, name, line, "expected KEY = VALUE, got \"%s\"", s);
			goto bad;
		}
		*eq = 0;
		if (set_key(cur, name, line, trim(s), trim(eq + 1), err, errlen) < 0)
			goto bad;
	}
	if (cur && conn_check(name, cur, err, errlen) < 0)
		goto bad;
	if (!cfg->nconns) {
		fail(err, errlen, name, line, "no connections");
		goto bad;
	}
	return 0;
bad:
	ike_config_free(cfg);
	return -1;
}

static char *slurp(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || n > (1 << 20) ||
	    fseek(f, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "%s: unreadable or larger than 1 MiB", path);
		fclose(f);
		return NULL;
	}
	buf = calloc(1, (size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: read failed", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int ike_config_load(const char *path, struct ike_config *cfg, char *err, size_t errlen)
{
	char *text = slurp(path, err, errlen);
	int ret;

	if (!text)
		return -1;
	ret = ike_config_parse(path, text, cfg, err, errlen);
	free(text);
	return ret;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "quoted text" or 0xHEX into @out. */
static int psk_value(const char *v, uint8_t *out, size_t *len)
{
	size_t n = strlen(v), i;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		if (n - 2 == 0 || n - 2 > IKE_PSK_MAX)
			return -1;
		memcpy(out, v + 1, n - 2);
		*len = n - 2;
		return 0;
	}
	if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') && n % 2 == 0 &&
	    (n - 2) / 2 <= IKE_PSK_MAX) {
		for (i = 2; i < n; i += 2) {
			int hi = unhex(v[i]), lo = unhex(v[i + 1]);

			if (hi < 0 || lo < 0)
				return -1;
			out[(i - 2) / 2] = (uint8_t)(hi << 4 | lo);
		}
		*len = (n - 2) / 2;
		return 0;
	}
	return -1;
}

int ike_secrets_parse(const char *name, const char *text, struct ike_config *cfg, char *err,
		      size_t errlen)
{
	const char *p = text;
	uint8_t psk[IKE_PSK_MAX];
	size_t psklen;
	int line = 0, i, ret = -1;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char buf[1024], *s, *colon, *ids[3], *save = NULL, *tok, *v;
		int nid = 0;

		line++;
		if (n >= sizeof(buf)) {
			fail(err, errlen, name, line, "line too long");
			goto out;
		}
		memcpy(buf, p, n);
		buf[n] = 0;
		p += n + (nl ? 1 : 0);
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		colon = strstr(s, " : ");
		if (!colon) {
			fail(err, errlen, name, line, "expected ID [ID2] : PSK \"secret\"");
			goto out;
		}
		*colon = 0;
		v = trim(colon + 3);
		if (strncmp(v, "PSK", 3) || (v[3] != ' ' && v[3] != '\t')) {
			fail(err, errlen, name, line, "only PSK secrets are supported");
			goto out;
		}
		if (psk_value(trim(v + 4), psk, &psklen) < 0) {
			fail(err, errlen, name, line, "PSK: expected \"text\" or 0xHEX (1..%d bytes)",
			     IKE_PSK_MAX);
			goto out;
		}
		for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			if (nid == 2) {
				fail(err, errlen, name, line, "at most two IDs before the colon");
				goto out;
			}
			ids[nid++] = tok;
		}
		if (!nid) {
			fail(err, errlen, name, line, "no ID before the colon");
			goto out;
		}
		for (i = 0; i < cfg->nconns; i++) {
			struct ike_conn *c = &cfg->conns[i];

			if (strcmp(ids[0], c->remote_id.text) ||
			    (nid == 2 && strcmp(ids[1], c->local_id.text)))
				continue;
			memcpy(c->psk, psk, psklen);
			c->psklen = psklen;
		}
	}
	for (i = 0; i < cfg->nconns; i++)
		if (!cfg->conns[i].psklen) {
			snprintf(err, errlen, "%s: no PSK for conn %s (remote ID %s)", name,
				 cfg->conns[i].name, cfg->conns[i].remote_id.text);
			goto out;
		}
	ret = 0;
out:
	OPENSSL_cleanse(psk, sizeof(psk));
	return ret;
}

int ike_secrets_load(const char *path, struct ike_config *cfg, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	int ret;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: group or others may access it (mode %03o): "
			 "chmod 600 it", path, st.st_mode & 0777);
		return -1;
	}
	text = slurp(path, err, errlen);
	if (!text)
		return -1;
	ret = ike_secrets_parse(path, text, cfg, err, errlen);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return ret;
}

void ike_config_free(struct ike_config *cfg)
{
	if (cfg->conns)
		OPENSSL_cleanse(cfg->conns, sizeof(*cfg->conns) * (size_t)cfg->nconns);
	free(cfg->conns);
	cfg->conns = NULL;
	cfg->nconns = 0;
}
