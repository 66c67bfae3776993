// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/pcap.c: the frames --pcap records (IPv4 with a valid header
 * checksum, IPv6, UDP, the ISAKMP encryption flag cleared, nothing else of
 * the message changed), refusals, and the file: mode 600, link type RAW,
 * read back by libpcap frame for frame.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "isakmp.h"
#include "pcap.h"
#include "tap.h"

static int csum_ok(const uint8_t *h, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < len; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

int main(void)
{
	struct kipsec_addr a = { .family = AF_INET, .len = 4, .bytes = { 192, 0, 2, 1 } };
	struct kipsec_addr b = { .family = AF_INET, .len = 4, .bytes = { 192, 0, 2, 2 } };
	struct kipsec_addr a6 = { .family = AF_INET6, .len = 16, .bytes = { 0x20, 1, 0xd, 0xb8, 1 } };
	struct kipsec_addr b6 = { .family = AF_INET6, .len = 16, .bytes = { 0x20, 1, 0xd, 0xb8, 2 } };
	char path[] = "/tmp/kipsec-pcap-XXXXXX", err[256];
	uint8_t msg[76], frame[200], small[40];
	const uint8_t *data;
	struct pcap_pkthdr *h;
	struct ike_pcap *p;
	struct stat st;
	pcap_t *r;
	size_t n, i;
	int fd, frames = 0, same = 1;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	msg[19] = ISAKMP_FLAG_ENC | 0x02;	/* encrypted, commit */

	n = ike_pcap_frame(frame, sizeof(frame), &a, 500, &b, 4500, msg, sizeof(msg));
	CHECK(n == 20 + 8 + sizeof(msg), "IPv4 frame: 20 + 8 + message bytes (%zu)", n);
	CHECK(frame[0] == 0x45 && frame[9] == 17 && (size_t)(frame[2] << 8 | frame[3]) == n &&
	      !memcmp(frame + 12, a.bytes, 4) && !memcmp(frame + 16, b.bytes, 4),
	      "IPv4 header: version, protocol UDP, total length, addresses");
	CHECK(csum_ok(frame, 20), "IPv4 header checksum verifies");
	CHECK((frame[20] << 8 | frame[21]) == 500 && (frame[22] << 8 | frame[23]) == 4500 &&
	      (size_t)(frame[24] << 8 | frame[25]) == 8 + sizeof(msg),
	      "UDP header: ports and length");
	CHECK(frame[28 + 19] == 0x02, "the encryption flag is cleared, the commit flag kept");
	frame[28 + 19] = msg[19];
	CHECK(!memcmp(frame + 28, msg, sizeof(msg)), "the rest of the message is unchanged");
	CHECK(msg[19] == (ISAKMP_FLAG_ENC | 0x02), "the caller's message is not touched");

	n = ike_pcap_frame(frame, sizeof(frame), &a6, 500, &b6, 500, msg, sizeof(msg));
	CHECK(n == 40 + 8 + sizeof(msg) && frame[0] >> 4 == 6 && frame[6] == 17 &&
	      (size_t)(frame[4] << 8 | frame[5]) == 8 + sizeof(msg) &&
	      !memcmp(frame + 8, a6.bytes, 16) && !memcmp(frame + 24, b6.bytes, 16),
	      "IPv6 frame: version, next header UDP, payload length, addresses");

	CHECK(!ike_pcap_frame(frame, sizeof(frame), &a, 500, &b6, 500, msg, sizeof(msg)),
	      "refused: source and destination of different families");
	CHECK(!ike_pcap_frame(small, sizeof(small), &a, 500, &b, 500, msg, sizeof(msg)),
	      "refused: frame larger than the buffer");
	CHECK(!ike_pcap_frame(frame, sizeof(frame), &a, 500, &b, 500, msg, ISAKMP_HDR_LEN - 1),
	      "refused: shorter than an ISAKMP header");

	fd = mkstemp(path);
	close(fd);
	unlink(path);
	p = ike_pcap_open(path, err, sizeof(err));
	CHECK(p != NULL, "ike_pcap_open creates the file (%s)", p ? "ok" : err);
	if (!p)
		return tap_done();
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the file is mode 600");
	ike_pcap_write(p, &a, 500, &b, 500, msg, sizeof(msg));
	ike_pcap_write(p, &b6, 500, &a6, 500, msg, sizeof(msg));
	CHECK(ike_pcap_write(p, &a, 500, &b6, 500, msg, sizeof(msg)) < 0,
	      "a frame that can't be built is refused, not written");
	ike_pcap_close(p);

	r = pcap_open_offline(path, err);
	CHECK(r != NULL, "libpcap reads the file back");
	if (r) {
		CHECK(pcap_datalink(r) == DLT_RAW, "link type RAW (%d)", pcap_datalink(r));
		while (pcap_next_ex(r, &h, &data) == 1) {
			n = ike_pcap_frame(frame, sizeof(frame), frames ? &b6 : &a, 500,
					   frames ? &a6 : &b, 500, msg, sizeof(msg));
			same &= h->caplen == n && h->len == n && !memcmp(data, frame, n);
			frames++;
		}
		CHECK(frames == 2 && same, "two frames, byte for byte the ones built (%d)", frames);
		pcap_close(r);
	}
	CHECK(!ike_pcap_open("/nonexistent-dir/x.pcap", err, sizeof(err)) &&
	      strstr(err, "/nonexistent-dir/x.pcap"), "an unwritable path: error names it: %s", err);
	unlink(path);
	return tap_done();
}
