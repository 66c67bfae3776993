/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --pcap FILE: every ISAKMP message kipsec-iked encrypts or decrypts, in
 * cleartext (the encryption flag cleared), as IPv4/IPv6 + UDP datagrams in a
 * pcap file (link type RAW) that Wireshark dissects without keys, as
 * isakmpd's -L did. The file is created mode 600 and flushed after each
 * message. For debugging only: it holds the encrypted payloads' contents
 * (IDs, hashes, nonces, proposals), though no key.
 */
#ifndef KIPSEC_IKE_PCAP_H
#define KIPSEC_IKE_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "../tools/addr.h"

struct ike_pcap;

/* Largest frame: IPv6 + UDP headers and a message of the daemon's maximum. */
#define IKE_PCAP_SNAPLEN	65535

struct ike_pcap *ike_pcap_open(const char *path, char *err, size_t errlen);
void ike_pcap_close(struct ike_pcap *p);
/* One message @src:@sport -> @dst:@dport; returns 0, or -1 (logged). */
int ike_pcap_write(struct ike_pcap *p, const struct kipsec_addr *src, uint16_t sport,
		   const struct kipsec_addr *dst, uint16_t dport, const uint8_t *msg, size_t len);
/*
 * The frame ike_pcap_write records: IP header (IPv4 with its checksum; no
 * UDP checksum, which IPv4 allows and Wireshark does not check by
 * default), UDP header, @msg with ISAKMP's encryption flag cleared. Returns
 * the frame's length, or 0 if @out is too small or the families differ.
 */
size_t ike_pcap_frame(uint8_t *out, size_t outlen, const struct kipsec_addr *src,
		      uint16_t sport, const struct kipsec_addr *dst, uint16_t dport,
		      const uint8_t *msg, size_t len);

#endif
