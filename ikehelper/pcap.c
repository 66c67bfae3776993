// SPDX-License-Identifier: GPL-2.0
/* --pcap FILE: decrypted ISAKMP messages as a capture (see pcap.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>

#include "isakmp.h"
#include "log.h"
#include "pcap.h"

struct ike_pcap {
	pcap_t *dead;		/* only describes the link type for the dumper */
	pcap_dumper_t *dumper;
};

struct ike_pcap *ike_pcap_open(const char *path, char *err, size_t errlen)
{
	struct ike_pcap *p = calloc(1, sizeof(*p));
	FILE *f = NULL;
	int fd = -1;

	if (!p) {
		snprintf(err, errlen, "--pcap: out of memory");
		return NULL;
	}
	/* 600 from the start: the messages' contents are not for everyone */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "--pcap %s: %s", path, strerror(errno));
		goto fail;
	}
	f = fdopen(fd, "wb");
	if (!f) {
		snprintf(err, errlen, "--pcap %s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	p->dead = pcap_open_dead(DLT_RAW, IKE_PCAP_SNAPLEN);
	p->dumper = p->dead ? pcap_dump_fopen(p->dead, f) : NULL;
	if (!p->dumper) {
		snprintf(err, errlen, "--pcap %s: %s", path,
			 p->dead ? pcap_geterr(p->dead) : "pcap_open_dead failed");
		fclose(f);
		goto fail;
	}
	return p;
fail:
	if (p->dead)
		pcap_close(p->dead);
	free(p);
	return NULL;
}

void ike_pcap_close(struct ike_pcap *p)
{
	if (!p)
		return;
	pcap_dump_close(p->dumper);	/* closes the file too */
	pcap_close(p->dead);
	free(p);
}

static uint16_t ip_csum(const uint8_t *h, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

size_t ike_pcap_frame(uint8_t *out, size_t outlen, const struct kipsec_addr *src,
		      uint16_t sport, const struct kipsec_addr *dst, uint16_t dport,
		      const uint8_t *msg, size_t len)
{
	bool v6 = src->family == AF_INET6;
	size_t iphl = v6 ? 40 : 20, udplen = 8 + len;

	if (src->family != dst->family || (src->family != AF_INET && !v6) ||
	    len < ISAKMP_HDR_LEN || udplen > 0xffff || iphl + udplen > outlen ||
	    (!v6 && iphl + udplen > 0xffff))
		return 0;
	memset(out, 0, iphl + 8);
	if (v6) {
		out[0] = 0x60;
		put16(out + 4, (uint16_t)udplen);
		out[6] = IPPROTO_UDP;
		out[7] = 64;
		memcpy(out + 8, src->bytes, 16);
		memcpy(out + 24, dst->bytes, 16);
	} else {
		out[0] = 0x45;
		put16(out + 2, (uint16_t)(iphl + udplen));
		out[8] = 64;
		out[9] = IPPROTO_UDP;
		memcpy(out + 12, src->bytes, 4);
		memcpy(out + 16, dst->bytes, 4);
		put16(out + 10, ip_csum(out, iphl));
	}
	put16(out + iphl, sport);
	put16(out + iphl + 2, dport);
	put16(out + iphl + 4, (uint16_t)udplen);
	memcpy(out + iphl + 8, msg, len);
	out[iphl + 8 + 19] &= (uint8_t)~ISAKMP_FLAG_ENC;	/* the header's flags */
	return iphl + udplen;
}

int ike_pcap_write(struct ike_pcap *p, const struct kipsec_addr *src, uint16_t sport,
		   const struct kipsec_addr *dst, uint16_t dport, const uint8_t *msg, size_t len)
{
	static uint8_t frame[IKE_PCAP_SNAPLEN];
	struct pcap_pkthdr h = { 0 };
	size_t n;

	n = ike_pcap_frame(frame, sizeof(frame), src, sport, dst, dport, msg, len);
	if (!n) {
		log_warn("--pcap: a message of %zu bytes could not be recorded", len);
		return -1;
	}
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (uint32_t)n;
	pcap_dump((u_char *)p->dumper, &h, frame);
	/* complete on disk even if the daemon is killed */
	if (pcap_dump_flush(p->dumper) < 0) {
		log_warn("--pcap: writing failed");
		return -1;
	}
	return 0;
}
