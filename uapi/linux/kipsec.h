/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#ifndef _UAPI_LINUX_KIPSEC_H
#define _UAPI_LINUX_KIPSEC_H

/*
 * kipsec: an IPsec (ESP/AH) data path with its own security policy and
 * association databases, configured per network namespace over this generic
 * netlink family. Requests that change state need CAP_NET_ADMIN in the user
 * namespace owning the network namespace. Every rejected request carries an
 * extended ACK message naming the offending attribute.
 *
 * Commands and their attributes:
 *
 * KIPSEC_CMD_GET_INFO
 *   Report the module version, the namespace's identity and counters, and
 *   the algorithms kipsec supports with their availability in this kernel.
 *   Open to unprivileged callers: it changes nothing.
 *  do request:
 *   KIPSEC_A_INFO_ALG_NAME: string (max 63 bytes)
 *       Request filter: report only this algorithm (its crypto API template
 *       name, e.g. "rfc4106(gcm(aes))"). Unknown names are rejected.
 *  do reply:
 *   KIPSEC_A_INFO_VERSION: string
 *       Version of the loaded kipsec module.
 *   KIPSEC_A_INFO_API_VERSION: u32
 *       Version of this netlink API (the family version).
 *   KIPSEC_A_INFO_NETNS_COOKIE: u64
 *       Cookie of the network namespace the request was handled in; unique
 *       for the lifetime of the kernel, so two answers with different
 *       cookies came from two different namespaces.
 *   KIPSEC_A_INFO_NL_REQUESTS: u64
 *       Requests this network namespace's kipsec instance has answered,
 *       including this one. Each namespace counts its own.
 *   KIPSEC_A_INFO_ALG: nest (alg), repeated
 *       One algorithm kipsec can use, as probed in the Kernel Crypto API.
 *     KIPSEC_A_ALG_NAME: string
 *         Crypto API template name, as given to crypto_alloc_aead/ahash.
 *     KIPSEC_A_ALG_KIND: u32, enum kipsec_alg_kind
 *         Role of the algorithm.
 *     KIPSEC_A_ALG_AVAILABLE: flag
 *         Present when the crypto API could instantiate the algorithm.
 *     KIPSEC_A_ALG_DRIVER: string
 *         Implementation the crypto API picked (e.g. "rfc4106-gcm-aesni"),
 *         present when available.
 *
 * KIPSEC_CMD_SA_ADD (CAP_NET_ADMIN)
 *   Add an SA. Fails with EEXIST when (family, daddr, spi, proto) is taken.
 *   Keys are checked by instantiating the algorithm; a key the crypto API
 *   refuses is rejected with the attribute named.
 *  do request:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SADDR: binary
 *       Source (the outer source in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *   KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *       Transport or tunnel.
 *   KIPSEC_A_SA_REQID: u32
 *       Ties the SA to policy templates with the same reqid (0 matches
 *       any).
 *   KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *       Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-alg
 *       and auth-alg.
 *   KIPSEC_A_SA_AEAD_KEY: binary
 *       AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *   KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *       Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)"; needs
 *       auth-alg.
 *   KIPSEC_A_SA_ENC_KEY: binary
 *       Cipher key (empty for ecb(cipher_null)).
 *   KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *       Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *       enc-alg with it, AH only this.
 *   KIPSEC_A_SA_AUTH_KEY: binary
 *       Integrity key.
 *   KIPSEC_A_SA_ICV_LEN: u32
 *       ICV length in bytes. Defaults to the algorithm's standard
 *       truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *       AEADs).
 *   KIPSEC_A_SA_REPLAY_WINDOW: u32
 *       Inbound anti-replay window in packets; 0 turns replay checks off.
 *   KIPSEC_A_SA_ESN: flag
 *       Extended (64-bit) sequence numbers, RFC 4303.
 *   KIPSEC_A_SA_SEQ: u64
 *       Request: the last sequence number sent (outbound SAs; default 0).
 *       Reply: last sent, and the highest accepted for inbound use.
 *   KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *       Soft and hard limits; omitted limits are unlimited.
 *     KIPSEC_A_LIFETIME_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *         Raise a soft expire after this many bytes.
 *     KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *         Delete the SA after this many bytes.
 *     KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *         Soft expire after this many packets.
 *     KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *         Delete after this many packets.
 *     KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *         Soft expire this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *         Delete this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *         Soft expire this many seconds after first use.
 *     KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *         Delete this many seconds after first use.
 *   KIPSEC_A_SA_CPU: u32
 *       Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *       whose template says per-cpu uses the SA of the CPU it is sent on.
 *       Absent: the SA serves any CPU (and is the fallback of per-CPU
 *       templates).
 *   KIPSEC_A_SA_ENCAP_SPORT: u32
 *       ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *       SA's packets, host byte order; needs encap-dport. ESP only.
 *       Inbound, the packets reach kipsec through a UDP socket with the
 *       UDP_ENCAP option (the key daemon's, on port 4500).
 *   KIPSEC_A_SA_ENCAP_DPORT: u32
 *       ESP in UDP; the UDP destination port, host byte order; needs encap-
 *       sport.
 *   KIPSEC_A_SA_AH_ALIGN4: flag
 *       AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *       3.3.3.2.1's minimum, what native xfrm does with XFRM_STATE_ALIGN4,
 *       as strongSwan installs IPv4 AH) instead of the default 64 bits.
 *       Input accepts both.
 *
 * KIPSEC_CMD_SA_UPDATE (CAP_NET_ADMIN)
 *   Replace an existing SA with the one described, atomically: packets see
 *   either the old or the new SA. Counters and sequence numbers start over
 *   unless seq is given. Fails with ENOENT if there is none.
 *  do request:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SADDR: binary
 *       Source (the outer source in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *   KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *       Transport or tunnel.
 *   KIPSEC_A_SA_REQID: u32
 *       Ties the SA to policy templates with the same reqid (0 matches
 *       any).
 *   KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *       Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-alg
 *       and auth-alg.
 *   KIPSEC_A_SA_AEAD_KEY: binary
 *       AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *   KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *       Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)"; needs
 *       auth-alg.
 *   KIPSEC_A_SA_ENC_KEY: binary
 *       Cipher key (empty for ecb(cipher_null)).
 *   KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *       Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *       enc-alg with it, AH only this.
 *   KIPSEC_A_SA_AUTH_KEY: binary
 *       Integrity key.
 *   KIPSEC_A_SA_ICV_LEN: u32
 *       ICV length in bytes. Defaults to the algorithm's standard
 *       truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *       AEADs).
 *   KIPSEC_A_SA_REPLAY_WINDOW: u32
 *       Inbound anti-replay window in packets; 0 turns replay checks off.
 *   KIPSEC_A_SA_ESN: flag
 *       Extended (64-bit) sequence numbers, RFC 4303.
 *   KIPSEC_A_SA_SEQ: u64
 *       Request: the last sequence number sent (outbound SAs; default 0).
 *       Reply: last sent, and the highest accepted for inbound use.
 *   KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *       Soft and hard limits; omitted limits are unlimited.
 *     KIPSEC_A_LIFETIME_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *         Raise a soft expire after this many bytes.
 *     KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *         Delete the SA after this many bytes.
 *     KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *         Soft expire after this many packets.
 *     KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *         Delete after this many packets.
 *     KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *         Soft expire this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *         Delete this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *         Soft expire this many seconds after first use.
 *     KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *         Delete this many seconds after first use.
 *   KIPSEC_A_SA_CPU: u32
 *       Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *       whose template says per-cpu uses the SA of the CPU it is sent on.
 *       Absent: the SA serves any CPU (and is the fallback of per-CPU
 *       templates).
 *   KIPSEC_A_SA_ENCAP_SPORT: u32
 *       ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *       SA's packets, host byte order; needs encap-dport. ESP only.
 *       Inbound, the packets reach kipsec through a UDP socket with the
 *       UDP_ENCAP option (the key daemon's, on port 4500).
 *   KIPSEC_A_SA_ENCAP_DPORT: u32
 *       ESP in UDP; the UDP destination port, host byte order; needs encap-
 *       sport.
 *   KIPSEC_A_SA_AH_ALIGN4: flag
 *       AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *       3.3.3.2.1's minimum, what native xfrm does with XFRM_STATE_ALIGN4,
 *       as strongSwan installs IPv4 AH) instead of the default 64 bits.
 *       Input accepts both.
 *
 * KIPSEC_CMD_SA_DEL (CAP_NET_ADMIN)
 *   Delete an SA (an sa-deleted event follows).
 *  do request:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *
 * KIPSEC_CMD_SA_GET (CAP_NET_ADMIN)
 *   Get one SA (do) or all of them (dump). Keys are returned only with
 *   show-keys.
 *  do request:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *   KIPSEC_A_SA_SHOW_KEYS: flag
 *       Get/dump request flag; include key attributes in the reply.
 *  do reply:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SADDR: binary
 *       Source (the outer source in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *   KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *       Transport or tunnel.
 *   KIPSEC_A_SA_REQID: u32
 *       Ties the SA to policy templates with the same reqid (0 matches
 *       any).
 *   KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *       Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-alg
 *       and auth-alg.
 *   KIPSEC_A_SA_AEAD_KEY: binary
 *       AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *   KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *       Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)"; needs
 *       auth-alg.
 *   KIPSEC_A_SA_ENC_KEY: binary
 *       Cipher key (empty for ecb(cipher_null)).
 *   KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *       Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *       enc-alg with it, AH only this.
 *   KIPSEC_A_SA_AUTH_KEY: binary
 *       Integrity key.
 *   KIPSEC_A_SA_ICV_LEN: u32
 *       ICV length in bytes. Defaults to the algorithm's standard
 *       truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *       AEADs).
 *   KIPSEC_A_SA_REPLAY_WINDOW: u32
 *       Inbound anti-replay window in packets; 0 turns replay checks off.
 *   KIPSEC_A_SA_ESN: flag
 *       Extended (64-bit) sequence numbers, RFC 4303.
 *   KIPSEC_A_SA_SEQ: u64
 *       Request: the last sequence number sent (outbound SAs; default 0).
 *       Reply: last sent, and the highest accepted for inbound use.
 *   KIPSEC_A_SA_SEQ_IN: u64
 *       Reply only; highest sequence number accepted by the replay window.
 *   KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *       Soft and hard limits; omitted limits are unlimited.
 *     KIPSEC_A_LIFETIME_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *         Raise a soft expire after this many bytes.
 *     KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *         Delete the SA after this many bytes.
 *     KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *         Soft expire after this many packets.
 *     KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *         Delete after this many packets.
 *     KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *         Soft expire this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *         Delete this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *         Soft expire this many seconds after first use.
 *     KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *         Delete this many seconds after first use.
 *   KIPSEC_A_SA_STATS: nest (sa-stats)
 *       Reply only; counters.
 *     KIPSEC_A_SA_STATS_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_SA_STATS_PACKETS: u64
 *         Packets processed successfully.
 *     KIPSEC_A_SA_STATS_BYTES: u64
 *         Payload bytes processed successfully.
 *     KIPSEC_A_SA_STATS_REPLAY_DROPS: u64
 *         Inbound duplicates dropped.
 *     KIPSEC_A_SA_STATS_WINDOW_DROPS: u64
 *         Inbound packets left of the replay window dropped.
 *     KIPSEC_A_SA_STATS_ICV_FAILURES: u64
 *         Inbound packets whose ICV did not verify.
 *     KIPSEC_A_SA_STATS_ERRORS: u64
 *         Other drops (malformed, no memory, crypto errors, MTU).
 *   KIPSEC_A_SA_ADD_TIME: u64
 *       Reply only; wall-clock seconds when the SA was added.
 *   KIPSEC_A_SA_USE_TIME: u64
 *       Reply only; wall-clock seconds of first use, 0 if unused.
 *   KIPSEC_A_SA_DYING: flag
 *       Reply only; the SA passed a soft limit.
 *   KIPSEC_A_SA_CPU: u32
 *       Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *       whose template says per-cpu uses the SA of the CPU it is sent on.
 *       Absent: the SA serves any CPU (and is the fallback of per-CPU
 *       templates).
 *   KIPSEC_A_SA_ENCAP_SPORT: u32
 *       ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *       SA's packets, host byte order; needs encap-dport. ESP only.
 *       Inbound, the packets reach kipsec through a UDP socket with the
 *       UDP_ENCAP option (the key daemon's, on port 4500).
 *   KIPSEC_A_SA_ENCAP_DPORT: u32
 *       ESP in UDP; the UDP destination port, host byte order; needs encap-
 *       sport.
 *   KIPSEC_A_SA_AH_ALIGN4: flag
 *       AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *       3.3.3.2.1's minimum, what native xfrm does with XFRM_STATE_ALIGN4,
 *       as strongSwan installs IPv4 AH) instead of the default 64 bits.
 *       Input accepts both.
 *  dump request:
 *   KIPSEC_A_SA_SHOW_KEYS: flag
 *       Get/dump request flag; include key attributes in the reply.
 *  dump reply:
 *   KIPSEC_A_SA_FAMILY: u32
 *       Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *   KIPSEC_A_SA_DADDR: binary
 *       Destination (the outer destination in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SADDR: binary
 *       Source (the outer source in tunnel mode); 4 or 16 bytes.
 *   KIPSEC_A_SA_SPI: u32
 *       Security Parameter Index, host byte order; 1-255 are reserved.
 *   KIPSEC_A_SA_PROTO: u32
 *       IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *       4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *       aead-key, enc-alg and enc-key are refused.
 *   KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *       Transport or tunnel.
 *   KIPSEC_A_SA_REQID: u32
 *       Ties the SA to policy templates with the same reqid (0 matches
 *       any).
 *   KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *       Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-alg
 *       and auth-alg.
 *   KIPSEC_A_SA_AEAD_KEY: binary
 *       AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *   KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *       Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)"; needs
 *       auth-alg.
 *   KIPSEC_A_SA_ENC_KEY: binary
 *       Cipher key (empty for ecb(cipher_null)).
 *   KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *       Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *       enc-alg with it, AH only this.
 *   KIPSEC_A_SA_AUTH_KEY: binary
 *       Integrity key.
 *   KIPSEC_A_SA_ICV_LEN: u32
 *       ICV length in bytes. Defaults to the algorithm's standard
 *       truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *       AEADs).
 *   KIPSEC_A_SA_REPLAY_WINDOW: u32
 *       Inbound anti-replay window in packets; 0 turns replay checks off.
 *   KIPSEC_A_SA_ESN: flag
 *       Extended (64-bit) sequence numbers, RFC 4303.
 *   KIPSEC_A_SA_SEQ: u64
 *       Request: the last sequence number sent (outbound SAs; default 0).
 *       Reply: last sent, and the highest accepted for inbound use.
 *   KIPSEC_A_SA_SEQ_IN: u64
 *       Reply only; highest sequence number accepted by the replay window.
 *   KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *       Soft and hard limits; omitted limits are unlimited.
 *     KIPSEC_A_LIFETIME_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *         Raise a soft expire after this many bytes.
 *     KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *         Delete the SA after this many bytes.
 *     KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *         Soft expire after this many packets.
 *     KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *         Delete after this many packets.
 *     KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *         Soft expire this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *         Delete this many seconds after the SA was added.
 *     KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *         Soft expire this many seconds after first use.
 *     KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *         Delete this many seconds after first use.
 *   KIPSEC_A_SA_STATS: nest (sa-stats)
 *       Reply only; counters.
 *     KIPSEC_A_SA_STATS_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_SA_STATS_PACKETS: u64
 *         Packets processed successfully.
 *     KIPSEC_A_SA_STATS_BYTES: u64
 *         Payload bytes processed successfully.
 *     KIPSEC_A_SA_STATS_REPLAY_DROPS: u64
 *         Inbound duplicates dropped.
 *     KIPSEC_A_SA_STATS_WINDOW_DROPS: u64
 *         Inbound packets left of the replay window dropped.
 *     KIPSEC_A_SA_STATS_ICV_FAILURES: u64
 *         Inbound packets whose ICV did not verify.
 *     KIPSEC_A_SA_STATS_ERRORS: u64
 *         Other drops (malformed, no memory, crypto errors, MTU).
 *   KIPSEC_A_SA_ADD_TIME: u64
 *       Reply only; wall-clock seconds when the SA was added.
 *   KIPSEC_A_SA_USE_TIME: u64
 *       Reply only; wall-clock seconds of first use, 0 if unused.
 *   KIPSEC_A_SA_DYING: flag
 *       Reply only; the SA passed a soft limit.
 *   KIPSEC_A_SA_CPU: u32
 *       Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *       whose template says per-cpu uses the SA of the CPU it is sent on.
 *       Absent: the SA serves any CPU (and is the fallback of per-CPU
 *       templates).
 *   KIPSEC_A_SA_ENCAP_SPORT: u32
 *       ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *       SA's packets, host byte order; needs encap-dport. ESP only.
 *       Inbound, the packets reach kipsec through a UDP socket with the
 *       UDP_ENCAP option (the key daemon's, on port 4500).
 *   KIPSEC_A_SA_ENCAP_DPORT: u32
 *       ESP in UDP; the UDP destination port, host byte order; needs encap-
 *       sport.
 *   KIPSEC_A_SA_AH_ALIGN4: flag
 *       AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *       3.3.3.2.1's minimum, what native xfrm does with XFRM_STATE_ALIGN4,
 *       as strongSwan installs IPv4 AH) instead of the default 64 bits.
 *       Input accepts both.
 *
 * KIPSEC_CMD_SA_FLUSH (CAP_NET_ADMIN)
 *   Delete every SA of the namespace.
 *  do request: no attributes
 *
 * KIPSEC_CMD_POLICY_ADD (CAP_NET_ADMIN)
 *   Add a policy; the reply carries its index. A policy with the same
 *   direction, priority and selector is rejected with EEXIST.
 *  do request:
 *   KIPSEC_A_POLICY_DIR: u32, enum kipsec_dir
 *       Direction.
 *   KIPSEC_A_POLICY_PRIORITY: u32
 *       Lower values are checked first; ties keep insertion order.
 *   KIPSEC_A_POLICY_ACTION: u32, enum kipsec_action
 *       Protect, bypass or discard.
 *   KIPSEC_A_POLICY_SELECTOR: nest (selector)
 *       The traffic the policy applies to.
 *     KIPSEC_A_SELECTOR_FAMILY: u32
 *         AF_INET (2) or AF_INET6 (10).
 *     KIPSEC_A_SELECTOR_SADDR: binary
 *         Source prefix address; 4 or 16 bytes (default any).
 *     KIPSEC_A_SELECTOR_SPREFIX: u32
 *         Source prefix length (default 0, any).
 *     KIPSEC_A_SELECTOR_DADDR: binary
 *         Destination prefix address.
 *     KIPSEC_A_SELECTOR_DPREFIX: u32
 *         Destination prefix length.
 *     KIPSEC_A_SELECTOR_PROTO: u32
 *         Upper-layer protocol, 0 for any.
 *     KIPSEC_A_SELECTOR_SPORT_MIN: u32
 *         Source port range start (ICMP type); default 0.
 *     KIPSEC_A_SELECTOR_SPORT_MAX: u32
 *         Source port range end (ICMP type); default 65535.
 *     KIPSEC_A_SELECTOR_DPORT_MIN: u32
 *         Destination port range start (ICMP code).
 *     KIPSEC_A_SELECTOR_DPORT_MAX: u32
 *         Destination port range end (ICMP code).
 *   KIPSEC_A_POLICY_TMPL: nest (tmpl), repeated
 *       Required with action protect. Repeated for a bundle (at most 2),
 *       innermost first as with xfrm: ESP (applied first on output, checked
 *       last on input) then AH. In a bundle the outer AH template is
 *       transport mode (between the inner template's tunnel endpoints when
 *       the ESP template is tunnel mode) and per-cpu is not allowed.
 *     KIPSEC_A_TMPL_FAMILY: u32
 *         Family of saddr/daddr (tunnel endpoints); may differ from the
 *         selector's.
 *     KIPSEC_A_TMPL_SADDR: binary
 *         Tunnel source; transport mode uses the packet's.
 *     KIPSEC_A_TMPL_DADDR: binary
 *         Tunnel destination; transport mode uses the packet's.
 *     KIPSEC_A_TMPL_PROTO: u32
 *         IPPROTO_ESP (50, the default) or IPPROTO_AH (51).
 *     KIPSEC_A_TMPL_MODE: u32, enum kipsec_mode
 *         Transport or tunnel.
 *     KIPSEC_A_TMPL_REQID: u32
 *         SAs must carry this reqid (0 matches any).
 *     KIPSEC_A_TMPL_PER_CPU: flag
 *         Output prefers the SA of the sending CPU (sa cpu attribute); a
 *         CPU without one uses an SA without a CPU and raises an acquire
 *         naming the CPU, so the key daemon can negotiate one more SA for
 *         it.
 *  do reply:
 *   KIPSEC_A_POLICY_INDEX: u32
 *       Identifier the kernel assigns; names the policy in del and in
 *       events.
 *
 * KIPSEC_CMD_POLICY_DEL (CAP_NET_ADMIN)
 *   Delete the policy with this index.
 *  do request:
 *   KIPSEC_A_POLICY_INDEX: u32
 *       Identifier the kernel assigns; names the policy in del and in
 *       events.
 *
 * KIPSEC_CMD_POLICY_GET (CAP_NET_ADMIN)
 *   Dump all policies in the order they are checked.
 *  dump request: no attributes
 *  dump reply:
 *   KIPSEC_A_POLICY_INDEX: u32
 *       Identifier the kernel assigns; names the policy in del and in
 *       events.
 *   KIPSEC_A_POLICY_DIR: u32, enum kipsec_dir
 *       Direction.
 *   KIPSEC_A_POLICY_PRIORITY: u32
 *       Lower values are checked first; ties keep insertion order.
 *   KIPSEC_A_POLICY_ACTION: u32, enum kipsec_action
 *       Protect, bypass or discard.
 *   KIPSEC_A_POLICY_SELECTOR: nest (selector)
 *       The traffic the policy applies to.
 *     KIPSEC_A_SELECTOR_FAMILY: u32
 *         AF_INET (2) or AF_INET6 (10).
 *     KIPSEC_A_SELECTOR_SADDR: binary
 *         Source prefix address; 4 or 16 bytes (default any).
 *     KIPSEC_A_SELECTOR_SPREFIX: u32
 *         Source prefix length (default 0, any).
 *     KIPSEC_A_SELECTOR_DADDR: binary
 *         Destination prefix address.
 *     KIPSEC_A_SELECTOR_DPREFIX: u32
 *         Destination prefix length.
 *     KIPSEC_A_SELECTOR_PROTO: u32
 *         Upper-layer protocol, 0 for any.
 *     KIPSEC_A_SELECTOR_SPORT_MIN: u32
 *         Source port range start (ICMP type); default 0.
 *     KIPSEC_A_SELECTOR_SPORT_MAX: u32
 *         Source port range end (ICMP type); default 65535.
 *     KIPSEC_A_SELECTOR_DPORT_MIN: u32
 *         Destination port range start (ICMP code).
 *     KIPSEC_A_SELECTOR_DPORT_MAX: u32
 *         Destination port range end (ICMP code).
 *   KIPSEC_A_POLICY_TMPL: nest (tmpl), repeated
 *       Required with action protect. Repeated for a bundle (at most 2),
 *       innermost first as with xfrm: ESP (applied first on output, checked
 *       last on input) then AH. In a bundle the outer AH template is
 *       transport mode (between the inner template's tunnel endpoints when
 *       the ESP template is tunnel mode) and per-cpu is not allowed.
 *     KIPSEC_A_TMPL_FAMILY: u32
 *         Family of saddr/daddr (tunnel endpoints); may differ from the
 *         selector's.
 *     KIPSEC_A_TMPL_SADDR: binary
 *         Tunnel source; transport mode uses the packet's.
 *     KIPSEC_A_TMPL_DADDR: binary
 *         Tunnel destination; transport mode uses the packet's.
 *     KIPSEC_A_TMPL_PROTO: u32
 *         IPPROTO_ESP (50, the default) or IPPROTO_AH (51).
 *     KIPSEC_A_TMPL_MODE: u32, enum kipsec_mode
 *         Transport or tunnel.
 *     KIPSEC_A_TMPL_REQID: u32
 *         SAs must carry this reqid (0 matches any).
 *     KIPSEC_A_TMPL_PER_CPU: flag
 *         Output prefers the SA of the sending CPU (sa cpu attribute); a
 *         CPU without one uses an SA without a CPU and raises an acquire
 *         naming the CPU, so the key daemon can negotiate one more SA for
 *         it.
 *   KIPSEC_A_POLICY_PACKETS: u64
 *       Reply only; packets the policy matched.
 *
 * KIPSEC_CMD_POLICY_FLUSH (CAP_NET_ADMIN)
 *   Delete every policy of the namespace.
 *  do request: no attributes
 *
 * KIPSEC_CMD_GET_STATS
 *   The namespace's counters. Open to unprivileged callers.
 *  do request: no attributes
 *  do reply:
 *   KIPSEC_A_STATS_IN_NO_SA: u64
 *       Inbound ESP for an SPI kipsec does not know (handed to native xfrm,
 *       if any).
 *   KIPSEC_A_STATS_IN_HDR_ERROR: u64
 *       Inbound packets with malformed ESP or inner headers.
 *   KIPSEC_A_STATS_IN_REPLAY: u64
 *       Inbound duplicates.
 *   KIPSEC_A_STATS_IN_WINDOW: u64
 *       Inbound packets left of the replay window.
 *   KIPSEC_A_STATS_IN_ICV_FAIL: u64
 *       Inbound ICV failures.
 *   KIPSEC_A_STATS_IN_POLICY_BLOCK: u64
 *       Cleartext a protect or discard policy rejected on the way in.
 *   KIPSEC_A_STATS_IN_TMPL_MISMATCH: u64
 *       Decrypted packets whose policy asks for another SA (or none).
 *   KIPSEC_A_STATS_IN_ERROR: u64
 *       Other inbound drops (memory, crypto errors).
 *   KIPSEC_A_STATS_OUT_NO_SA: u64
 *       Outbound packets a protect policy held with no SA (acquire raised).
 *   KIPSEC_A_STATS_OUT_POLICY_BLOCK: u64
 *       Outbound packets a discard policy dropped.
 *   KIPSEC_A_STATS_OUT_SEQ_OVERFLOW: u64
 *       Outbound packets refused because the sequence number would wrap.
 *   KIPSEC_A_STATS_OUT_MTU: u64
 *       Outbound packets too big after encapsulation (PMTU signalled).
 *   KIPSEC_A_STATS_OUT_ERROR: u64
 *       Other outbound drops.
 *   KIPSEC_A_STATS_ACQUIRES: u64
 *       Acquire events sent.
 *   KIPSEC_A_STATS_IN_ENCAP_MISMATCH: u64
 *       Inbound ESP for an SA of the other kind: in UDP for a plain SA, or
 *       plain for an ESP-in-UDP SA.
 *   KIPSEC_A_STATS_IN_BUNDLE_INCOMPLETE: u64
 *       Inbound packets a bundle policy (ESP inside AH) covers that did not
 *       pass through every layer in order (only ESP, only AH, or the wrong
 *       SAs); dropped.
 *
 * KIPSEC_CMD_ACQUIRE
 *   Event: outbound traffic matched a protect policy with no SA. Sent at
 *   most once per policy per second; the packet is dropped.
 *  event (multicast group events):
 *   KIPSEC_A_EVENT_POLICY: nest (policy)
 *       Acquire; the policy that matched (index, dir, selector, template).
 *     KIPSEC_A_POLICY_PAD: pad
 *         Alignment padding.
 *     KIPSEC_A_POLICY_INDEX: u32
 *         Identifier the kernel assigns; names the policy in del and in
 *         events.
 *     KIPSEC_A_POLICY_DIR: u32, enum kipsec_dir
 *         Direction.
 *     KIPSEC_A_POLICY_PRIORITY: u32
 *         Lower values are checked first; ties keep insertion order.
 *     KIPSEC_A_POLICY_ACTION: u32, enum kipsec_action
 *         Protect, bypass or discard.
 *     KIPSEC_A_POLICY_SELECTOR: nest (selector)
 *         The traffic the policy applies to.
 *       KIPSEC_A_SELECTOR_FAMILY: u32
 *           AF_INET (2) or AF_INET6 (10).
 *       KIPSEC_A_SELECTOR_SADDR: binary
 *           Source prefix address; 4 or 16 bytes (default any).
 *       KIPSEC_A_SELECTOR_SPREFIX: u32
 *           Source prefix length (default 0, any).
 *       KIPSEC_A_SELECTOR_DADDR: binary
 *           Destination prefix address.
 *       KIPSEC_A_SELECTOR_DPREFIX: u32
 *           Destination prefix length.
 *       KIPSEC_A_SELECTOR_PROTO: u32
 *           Upper-layer protocol, 0 for any.
 *       KIPSEC_A_SELECTOR_SPORT_MIN: u32
 *           Source port range start (ICMP type); default 0.
 *       KIPSEC_A_SELECTOR_SPORT_MAX: u32
 *           Source port range end (ICMP type); default 65535.
 *       KIPSEC_A_SELECTOR_DPORT_MIN: u32
 *           Destination port range start (ICMP code).
 *       KIPSEC_A_SELECTOR_DPORT_MAX: u32
 *           Destination port range end (ICMP code).
 *     KIPSEC_A_POLICY_TMPL: nest (tmpl), repeated
 *         Required with action protect. Repeated for a bundle (at most 2),
 *         innermost first as with xfrm: ESP (applied first on output,
 *         checked last on input) then AH. In a bundle the outer AH template
 *         is transport mode (between the inner template's tunnel endpoints
 *         when the ESP template is tunnel mode) and per-cpu is not allowed.
 *       KIPSEC_A_TMPL_FAMILY: u32
 *           Family of saddr/daddr (tunnel endpoints); may differ from the
 *           selector's.
 *       KIPSEC_A_TMPL_SADDR: binary
 *           Tunnel source; transport mode uses the packet's.
 *       KIPSEC_A_TMPL_DADDR: binary
 *           Tunnel destination; transport mode uses the packet's.
 *       KIPSEC_A_TMPL_PROTO: u32
 *           IPPROTO_ESP (50, the default) or IPPROTO_AH (51).
 *       KIPSEC_A_TMPL_MODE: u32, enum kipsec_mode
 *           Transport or tunnel.
 *       KIPSEC_A_TMPL_REQID: u32
 *           SAs must carry this reqid (0 matches any).
 *       KIPSEC_A_TMPL_PER_CPU: flag
 *           Output prefers the SA of the sending CPU (sa cpu attribute); a
 *           CPU without one uses an SA without a CPU and raises an acquire
 *           naming the CPU, so the key daemon can negotiate one more SA for
 *           it.
 *     KIPSEC_A_POLICY_PACKETS: u64
 *         Reply only; packets the policy matched.
 *   KIPSEC_A_EVENT_FLOW: nest (selector)
 *       Acquire; the packet that triggered it as a host selector.
 *     KIPSEC_A_SELECTOR_FAMILY: u32
 *         AF_INET (2) or AF_INET6 (10).
 *     KIPSEC_A_SELECTOR_SADDR: binary
 *         Source prefix address; 4 or 16 bytes (default any).
 *     KIPSEC_A_SELECTOR_SPREFIX: u32
 *         Source prefix length (default 0, any).
 *     KIPSEC_A_SELECTOR_DADDR: binary
 *         Destination prefix address.
 *     KIPSEC_A_SELECTOR_DPREFIX: u32
 *         Destination prefix length.
 *     KIPSEC_A_SELECTOR_PROTO: u32
 *         Upper-layer protocol, 0 for any.
 *     KIPSEC_A_SELECTOR_SPORT_MIN: u32
 *         Source port range start (ICMP type); default 0.
 *     KIPSEC_A_SELECTOR_SPORT_MAX: u32
 *         Source port range end (ICMP type); default 65535.
 *     KIPSEC_A_SELECTOR_DPORT_MIN: u32
 *         Destination port range start (ICMP code).
 *     KIPSEC_A_SELECTOR_DPORT_MAX: u32
 *         Destination port range end (ICMP code).
 *   KIPSEC_A_EVENT_CPU: u32
 *       Acquire; the CPU that has no SA of its own under a per-cpu
 *       template.
 *
 * KIPSEC_CMD_EXPIRE
 *   Event; an SA reached a soft limit, or a hard limit (then it is
 *   deleted).
 *  event (multicast group events):
 *   KIPSEC_A_EVENT_SA: nest (sa)
 *       Expire and SA-deleted; the SA (identity, reqid, counters).
 *     KIPSEC_A_SA_PAD: pad
 *         Alignment padding for 64-bit attributes.
 *     KIPSEC_A_SA_FAMILY: u32
 *         Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *     KIPSEC_A_SA_DADDR: binary
 *         Destination (the outer destination in tunnel mode); 4 or 16
 *         bytes.
 *     KIPSEC_A_SA_SADDR: binary
 *         Source (the outer source in tunnel mode); 4 or 16 bytes.
 *     KIPSEC_A_SA_SPI: u32
 *         Security Parameter Index, host byte order; 1-255 are reserved.
 *     KIPSEC_A_SA_PROTO: u32
 *         IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *         4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *         aead-key, enc-alg and enc-key are refused.
 *     KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *         Transport or tunnel.
 *     KIPSEC_A_SA_REQID: u32
 *         Ties the SA to policy templates with the same reqid (0 matches
 *         any).
 *     KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *         Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-
 *         alg and auth-alg.
 *     KIPSEC_A_SA_AEAD_KEY: binary
 *         AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *     KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *         Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)";
 *         needs auth-alg.
 *     KIPSEC_A_SA_ENC_KEY: binary
 *         Cipher key (empty for ecb(cipher_null)).
 *     KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *         Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *         enc-alg with it, AH only this.
 *     KIPSEC_A_SA_AUTH_KEY: binary
 *         Integrity key.
 *     KIPSEC_A_SA_ICV_LEN: u32
 *         ICV length in bytes. Defaults to the algorithm's standard
 *         truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *         AEADs).
 *     KIPSEC_A_SA_REPLAY_WINDOW: u32
 *         Inbound anti-replay window in packets; 0 turns replay checks off.
 *     KIPSEC_A_SA_ESN: flag
 *         Extended (64-bit) sequence numbers, RFC 4303.
 *     KIPSEC_A_SA_SEQ: u64
 *         Request: the last sequence number sent (outbound SAs; default 0).
 *         Reply: last sent, and the highest accepted for inbound use.
 *     KIPSEC_A_SA_SEQ_IN: u64
 *         Reply only; highest sequence number accepted by the replay
 *         window.
 *     KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *         Soft and hard limits; omitted limits are unlimited.
 *       KIPSEC_A_LIFETIME_PAD: pad
 *           Alignment padding.
 *       KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *           Raise a soft expire after this many bytes.
 *       KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *           Delete the SA after this many bytes.
 *       KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *           Soft expire after this many packets.
 *       KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *           Delete after this many packets.
 *       KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *           Soft expire this many seconds after the SA was added.
 *       KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *           Delete this many seconds after the SA was added.
 *       KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *           Soft expire this many seconds after first use.
 *       KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *           Delete this many seconds after first use.
 *     KIPSEC_A_SA_STATS: nest (sa-stats)
 *         Reply only; counters.
 *       KIPSEC_A_SA_STATS_PAD: pad
 *           Alignment padding.
 *       KIPSEC_A_SA_STATS_PACKETS: u64
 *           Packets processed successfully.
 *       KIPSEC_A_SA_STATS_BYTES: u64
 *           Payload bytes processed successfully.
 *       KIPSEC_A_SA_STATS_REPLAY_DROPS: u64
 *           Inbound duplicates dropped.
 *       KIPSEC_A_SA_STATS_WINDOW_DROPS: u64
 *           Inbound packets left of the replay window dropped.
 *       KIPSEC_A_SA_STATS_ICV_FAILURES: u64
 *           Inbound packets whose ICV did not verify.
 *       KIPSEC_A_SA_STATS_ERRORS: u64
 *           Other drops (malformed, no memory, crypto errors, MTU).
 *     KIPSEC_A_SA_ADD_TIME: u64
 *         Reply only; wall-clock seconds when the SA was added.
 *     KIPSEC_A_SA_USE_TIME: u64
 *         Reply only; wall-clock seconds of first use, 0 if unused.
 *     KIPSEC_A_SA_SHOW_KEYS: flag
 *         Get/dump request flag; include key attributes in the reply.
 *     KIPSEC_A_SA_DYING: flag
 *         Reply only; the SA passed a soft limit.
 *     KIPSEC_A_SA_CPU: u32
 *         Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *         whose template says per-cpu uses the SA of the CPU it is sent on.
 *         Absent: the SA serves any CPU (and is the fallback of per-CPU
 *         templates).
 *     KIPSEC_A_SA_ENCAP_SPORT: u32
 *         ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *         SA's packets, host byte order; needs encap-dport. ESP only.
 *         Inbound, the packets reach kipsec through a UDP socket with the
 *         UDP_ENCAP option (the key daemon's, on port 4500).
 *     KIPSEC_A_SA_ENCAP_DPORT: u32
 *         ESP in UDP; the UDP destination port, host byte order; needs
 *         encap-sport.
 *     KIPSEC_A_SA_AH_ALIGN4: flag
 *         AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *         3.3.3.2.1's minimum, what native xfrm does with
 *         XFRM_STATE_ALIGN4, as strongSwan installs IPv4 AH) instead of the
 *         default 64 bits. Input accepts both.
 *   KIPSEC_A_EVENT_HARD: flag
 *       Expire; present for a hard expiry (the SA was deleted).
 *
 * KIPSEC_CMD_SA_DELETED
 *   Event; an SA was deleted by request, flush or hard expiry.
 *  event (multicast group events):
 *   KIPSEC_A_EVENT_SA: nest (sa)
 *       Expire and SA-deleted; the SA (identity, reqid, counters).
 *     KIPSEC_A_SA_PAD: pad
 *         Alignment padding for 64-bit attributes.
 *     KIPSEC_A_SA_FAMILY: u32
 *         Address family of saddr and daddr (AF_INET 2 or AF_INET6 10).
 *     KIPSEC_A_SA_DADDR: binary
 *         Destination (the outer destination in tunnel mode); 4 or 16
 *         bytes.
 *     KIPSEC_A_SA_SADDR: binary
 *         Source (the outer source in tunnel mode); 4 or 16 bytes.
 *     KIPSEC_A_SA_SPI: u32
 *         Security Parameter Index, host byte order; 1-255 are reserved.
 *     KIPSEC_A_SA_PROTO: u32
 *         IPPROTO_ESP (50, the default) or IPPROTO_AH (51). An AH SA (RFC
 *         4302) takes only auth-alg and auth-key (and icv-len): aead-alg,
 *         aead-key, enc-alg and enc-key are refused.
 *     KIPSEC_A_SA_MODE: u32, enum kipsec_mode
 *         Transport or tunnel.
 *     KIPSEC_A_SA_REQID: u32
 *         Ties the SA to policy templates with the same reqid (0 matches
 *         any).
 *     KIPSEC_A_SA_AEAD_ALG: string (max 63 bytes)
 *         Combined-mode algorithm, e.g. "rfc4106(gcm(aes))"; excludes enc-
 *         alg and auth-alg.
 *     KIPSEC_A_SA_AEAD_KEY: binary
 *         AEAD key followed by its 4-byte salt (RFC 4106, RFC 7634).
 *     KIPSEC_A_SA_ENC_ALG: string (max 63 bytes)
 *         Cipher, e.g. "cbc(aes)", "cbc(des3_ede)", "ecb(cipher_null)";
 *         needs auth-alg.
 *     KIPSEC_A_SA_ENC_KEY: binary
 *         Cipher key (empty for ecb(cipher_null)).
 *     KIPSEC_A_SA_AUTH_ALG: string (max 63 bytes)
 *         Integrity algorithm, e.g. "hmac(sha256)", "xcbc(aes)"; ESP needs
 *         enc-alg with it, AH only this.
 *     KIPSEC_A_SA_AUTH_KEY: binary
 *         Integrity key.
 *     KIPSEC_A_SA_ICV_LEN: u32
 *         ICV length in bytes. Defaults to the algorithm's standard
 *         truncation (12 for HMAC-SHA1-96, 16 for SHA-256, 24, 32; 16 for
 *         AEADs).
 *     KIPSEC_A_SA_REPLAY_WINDOW: u32
 *         Inbound anti-replay window in packets; 0 turns replay checks off.
 *     KIPSEC_A_SA_ESN: flag
 *         Extended (64-bit) sequence numbers, RFC 4303.
 *     KIPSEC_A_SA_SEQ: u64
 *         Request: the last sequence number sent (outbound SAs; default 0).
 *         Reply: last sent, and the highest accepted for inbound use.
 *     KIPSEC_A_SA_SEQ_IN: u64
 *         Reply only; highest sequence number accepted by the replay
 *         window.
 *     KIPSEC_A_SA_LIFETIME: nest (lifetime)
 *         Soft and hard limits; omitted limits are unlimited.
 *       KIPSEC_A_LIFETIME_PAD: pad
 *           Alignment padding.
 *       KIPSEC_A_LIFETIME_SOFT_BYTES: u64
 *           Raise a soft expire after this many bytes.
 *       KIPSEC_A_LIFETIME_HARD_BYTES: u64
 *           Delete the SA after this many bytes.
 *       KIPSEC_A_LIFETIME_SOFT_PACKETS: u64
 *           Soft expire after this many packets.
 *       KIPSEC_A_LIFETIME_HARD_PACKETS: u64
 *           Delete after this many packets.
 *       KIPSEC_A_LIFETIME_SOFT_ADD_SECS: u64
 *           Soft expire this many seconds after the SA was added.
 *       KIPSEC_A_LIFETIME_HARD_ADD_SECS: u64
 *           Delete this many seconds after the SA was added.
 *       KIPSEC_A_LIFETIME_SOFT_USE_SECS: u64
 *           Soft expire this many seconds after first use.
 *       KIPSEC_A_LIFETIME_HARD_USE_SECS: u64
 *           Delete this many seconds after first use.
 *     KIPSEC_A_SA_STATS: nest (sa-stats)
 *         Reply only; counters.
 *       KIPSEC_A_SA_STATS_PAD: pad
 *           Alignment padding.
 *       KIPSEC_A_SA_STATS_PACKETS: u64
 *           Packets processed successfully.
 *       KIPSEC_A_SA_STATS_BYTES: u64
 *           Payload bytes processed successfully.
 *       KIPSEC_A_SA_STATS_REPLAY_DROPS: u64
 *           Inbound duplicates dropped.
 *       KIPSEC_A_SA_STATS_WINDOW_DROPS: u64
 *           Inbound packets left of the replay window dropped.
 *       KIPSEC_A_SA_STATS_ICV_FAILURES: u64
 *           Inbound packets whose ICV did not verify.
 *       KIPSEC_A_SA_STATS_ERRORS: u64
 *           Other drops (malformed, no memory, crypto errors, MTU).
 *     KIPSEC_A_SA_ADD_TIME: u64
 *         Reply only; wall-clock seconds when the SA was added.
 *     KIPSEC_A_SA_USE_TIME: u64
 *         Reply only; wall-clock seconds of first use, 0 if unused.
 *     KIPSEC_A_SA_SHOW_KEYS: flag
 *         Get/dump request flag; include key attributes in the reply.
 *     KIPSEC_A_SA_DYING: flag
 *         Reply only; the SA passed a soft limit.
 *     KIPSEC_A_SA_CPU: u32
 *         Per-CPU SA (the idea of RFC 9611): outbound traffic of a policy
 *         whose template says per-cpu uses the SA of the CPU it is sent on.
 *         Absent: the SA serves any CPU (and is the fallback of per-CPU
 *         templates).
 *     KIPSEC_A_SA_ENCAP_SPORT: u32
 *         ESP in UDP (RFC 3948, NAT traversal): the UDP source port of the
 *         SA's packets, host byte order; needs encap-dport. ESP only.
 *         Inbound, the packets reach kipsec through a UDP socket with the
 *         UDP_ENCAP option (the key daemon's, on port 4500).
 *     KIPSEC_A_SA_ENCAP_DPORT: u32
 *         ESP in UDP; the UDP destination port, host byte order; needs
 *         encap-sport.
 *     KIPSEC_A_SA_AH_ALIGN4: flag
 *         AH over IPv4 only: pad the AH header to 32 bits (RFC 4302
 *         3.3.3.2.1's minimum, what native xfrm does with
 *         XFRM_STATE_ALIGN4, as strongSwan installs IPv4 AH) instead of the
 *         default 64 bits. Input accepts both.
 */

#define KIPSEC_FAMILY_NAME	"kipsec"
#define KIPSEC_FAMILY_VERSION	1

/**
 * enum kipsec_alg_kind - What an algorithm provides inside ESP or AH.
 * @KIPSEC_ALG_KIND_AEAD: Combined encryption and integrity (AES-GCM, ChaCha20-Poly1305).
 * @KIPSEC_ALG_KIND_CRYPT: Encryption only, paired with an auth algorithm (AES-CBC, 3DES-CBC, NULL).
 * @KIPSEC_ALG_KIND_AUTH: Integrity only (HMAC-SHA1/2, AES-XCBC); usable by ESP and AH.
 */
enum kipsec_alg_kind {
	KIPSEC_ALG_KIND_AEAD = 1,
	KIPSEC_ALG_KIND_CRYPT = 2,
	KIPSEC_ALG_KIND_AUTH = 3,
};

/**
 * enum kipsec_mode - How an SA or template encapsulates.
 * @KIPSEC_MODE_TRANSPORT: Protect the payload; the original IP header stays outside.
 * @KIPSEC_MODE_TUNNEL: Protect the whole packet inside a new outer IP header.
 */
enum kipsec_mode {
	KIPSEC_MODE_TRANSPORT = 1,
	KIPSEC_MODE_TUNNEL = 2,
};

/**
 * enum kipsec_dir - Which traffic a policy applies to.
 * @KIPSEC_DIR_OUT: Packets leaving this host, sent or forwarded (checked after routing).
 * @KIPSEC_DIR_IN: Packets delivered to this host.
 * @KIPSEC_DIR_FWD: Packets this host forwards, checked on their way in.
 */
enum kipsec_dir {
	KIPSEC_DIR_OUT = 1,
	KIPSEC_DIR_IN = 2,
	KIPSEC_DIR_FWD = 3,
};

/**
 * enum kipsec_action - What a policy does with the traffic it selects.
 * @KIPSEC_ACTION_PROTECT: Apply (out) or require (in, fwd) the SA its template names.
 * @KIPSEC_ACTION_BYPASS: Let the traffic pass in the clear.
 * @KIPSEC_ACTION_DISCARD: Drop the traffic and count it.
 */
enum kipsec_action {
	KIPSEC_ACTION_PROTECT = 1,
	KIPSEC_ACTION_BYPASS = 2,
	KIPSEC_ACTION_DISCARD = 3,
};

enum {
	KIPSEC_A_INFO_UNSPEC,
	KIPSEC_A_INFO_PAD,
	KIPSEC_A_INFO_VERSION,
	KIPSEC_A_INFO_API_VERSION,
	KIPSEC_A_INFO_NETNS_COOKIE,
	KIPSEC_A_INFO_NL_REQUESTS,
	KIPSEC_A_INFO_ALG_NAME,
	KIPSEC_A_INFO_ALG,

	__KIPSEC_A_INFO_MAX,
	KIPSEC_A_INFO_MAX = (__KIPSEC_A_INFO_MAX - 1)
};

enum {
	KIPSEC_A_ALG_UNSPEC,
	KIPSEC_A_ALG_NAME,
	KIPSEC_A_ALG_KIND,
	KIPSEC_A_ALG_AVAILABLE,
	KIPSEC_A_ALG_DRIVER,

	__KIPSEC_A_ALG_MAX,
	KIPSEC_A_ALG_MAX = (__KIPSEC_A_ALG_MAX - 1)
};

enum {
	KIPSEC_A_SA_UNSPEC,
	KIPSEC_A_SA_PAD,
	KIPSEC_A_SA_FAMILY,
	KIPSEC_A_SA_DADDR,
	KIPSEC_A_SA_SADDR,
	KIPSEC_A_SA_SPI,
	KIPSEC_A_SA_PROTO,
	KIPSEC_A_SA_MODE,
	KIPSEC_A_SA_REQID,
	KIPSEC_A_SA_AEAD_ALG,
	KIPSEC_A_SA_AEAD_KEY,
	KIPSEC_A_SA_ENC_ALG,
	KIPSEC_A_SA_ENC_KEY,
	KIPSEC_A_SA_AUTH_ALG,
	KIPSEC_A_SA_AUTH_KEY,
	KIPSEC_A_SA_ICV_LEN,
	KIPSEC_A_SA_REPLAY_WINDOW,
	KIPSEC_A_SA_ESN,
	KIPSEC_A_SA_SEQ,
	KIPSEC_A_SA_SEQ_IN,
	KIPSEC_A_SA_LIFETIME,
	KIPSEC_A_SA_STATS,
	KIPSEC_A_SA_ADD_TIME,
	KIPSEC_A_SA_USE_TIME,
	KIPSEC_A_SA_SHOW_KEYS,
	KIPSEC_A_SA_DYING,
	KIPSEC_A_SA_CPU,
	KIPSEC_A_SA_ENCAP_SPORT,
	KIPSEC_A_SA_ENCAP_DPORT,
	KIPSEC_A_SA_AH_ALIGN4,

	__KIPSEC_A_SA_MAX,
	KIPSEC_A_SA_MAX = (__KIPSEC_A_SA_MAX - 1)
};

enum {
	KIPSEC_A_LIFETIME_UNSPEC,
	KIPSEC_A_LIFETIME_PAD,
	KIPSEC_A_LIFETIME_SOFT_BYTES,
	KIPSEC_A_LIFETIME_HARD_BYTES,
	KIPSEC_A_LIFETIME_SOFT_PACKETS,
	KIPSEC_A_LIFETIME_HARD_PACKETS,
	KIPSEC_A_LIFETIME_SOFT_ADD_SECS,
	KIPSEC_A_LIFETIME_HARD_ADD_SECS,
	KIPSEC_A_LIFETIME_SOFT_USE_SECS,
	KIPSEC_A_LIFETIME_HARD_USE_SECS,

	__KIPSEC_A_LIFETIME_MAX,
	KIPSEC_A_LIFETIME_MAX = (__KIPSEC_A_LIFETIME_MAX - 1)
};

enum {
	KIPSEC_A_SA_STATS_UNSPEC,
	KIPSEC_A_SA_STATS_PAD,
	KIPSEC_A_SA_STATS_PACKETS,
	KIPSEC_A_SA_STATS_BYTES,
	KIPSEC_A_SA_STATS_REPLAY_DROPS,
	KIPSEC_A_SA_STATS_WINDOW_DROPS,
	KIPSEC_A_SA_STATS_ICV_FAILURES,
	KIPSEC_A_SA_STATS_ERRORS,

	__KIPSEC_A_SA_STATS_MAX,
	KIPSEC_A_SA_STATS_MAX = (__KIPSEC_A_SA_STATS_MAX - 1)
};

enum {
	KIPSEC_A_SELECTOR_UNSPEC,
	KIPSEC_A_SELECTOR_FAMILY,
	KIPSEC_A_SELECTOR_SADDR,
	KIPSEC_A_SELECTOR_SPREFIX,
	KIPSEC_A_SELECTOR_DADDR,
	KIPSEC_A_SELECTOR_DPREFIX,
	KIPSEC_A_SELECTOR_PROTO,
	KIPSEC_A_SELECTOR_SPORT_MIN,
	KIPSEC_A_SELECTOR_SPORT_MAX,
	KIPSEC_A_SELECTOR_DPORT_MIN,
	KIPSEC_A_SELECTOR_DPORT_MAX,

	__KIPSEC_A_SELECTOR_MAX,
	KIPSEC_A_SELECTOR_MAX = (__KIPSEC_A_SELECTOR_MAX - 1)
};

enum {
	KIPSEC_A_TMPL_UNSPEC,
	KIPSEC_A_TMPL_FAMILY,
	KIPSEC_A_TMPL_SADDR,
	KIPSEC_A_TMPL_DADDR,
	KIPSEC_A_TMPL_PROTO,
	KIPSEC_A_TMPL_MODE,
	KIPSEC_A_TMPL_REQID,
	KIPSEC_A_TMPL_PER_CPU,

	__KIPSEC_A_TMPL_MAX,
	KIPSEC_A_TMPL_MAX = (__KIPSEC_A_TMPL_MAX - 1)
};

enum {
	KIPSEC_A_POLICY_UNSPEC,
	KIPSEC_A_POLICY_PAD,
	KIPSEC_A_POLICY_INDEX,
	KIPSEC_A_POLICY_DIR,
	KIPSEC_A_POLICY_PRIORITY,
	KIPSEC_A_POLICY_ACTION,
	KIPSEC_A_POLICY_SELECTOR,
	KIPSEC_A_POLICY_TMPL,
	KIPSEC_A_POLICY_PACKETS,

	__KIPSEC_A_POLICY_MAX,
	KIPSEC_A_POLICY_MAX = (__KIPSEC_A_POLICY_MAX - 1)
};

enum {
	KIPSEC_A_STATS_UNSPEC,
	KIPSEC_A_STATS_PAD,
	KIPSEC_A_STATS_IN_NO_SA,
	KIPSEC_A_STATS_IN_HDR_ERROR,
	KIPSEC_A_STATS_IN_REPLAY,
	KIPSEC_A_STATS_IN_WINDOW,
	KIPSEC_A_STATS_IN_ICV_FAIL,
	KIPSEC_A_STATS_IN_POLICY_BLOCK,
	KIPSEC_A_STATS_IN_TMPL_MISMATCH,
	KIPSEC_A_STATS_IN_ERROR,
	KIPSEC_A_STATS_OUT_NO_SA,
	KIPSEC_A_STATS_OUT_POLICY_BLOCK,
	KIPSEC_A_STATS_OUT_SEQ_OVERFLOW,
	KIPSEC_A_STATS_OUT_MTU,
	KIPSEC_A_STATS_OUT_ERROR,
	KIPSEC_A_STATS_ACQUIRES,
	KIPSEC_A_STATS_IN_ENCAP_MISMATCH,
	KIPSEC_A_STATS_IN_BUNDLE_INCOMPLETE,

	__KIPSEC_A_STATS_MAX,
	KIPSEC_A_STATS_MAX = (__KIPSEC_A_STATS_MAX - 1)
};

enum {
	KIPSEC_A_EVENT_UNSPEC,
	KIPSEC_A_EVENT_POLICY,
	KIPSEC_A_EVENT_FLOW,
	KIPSEC_A_EVENT_SA,
	KIPSEC_A_EVENT_HARD,
	KIPSEC_A_EVENT_CPU,

	__KIPSEC_A_EVENT_MAX,
	KIPSEC_A_EVENT_MAX = (__KIPSEC_A_EVENT_MAX - 1)
};

enum {
	KIPSEC_CMD_UNSPEC,
	KIPSEC_CMD_GET_INFO,
	KIPSEC_CMD_SA_ADD,
	KIPSEC_CMD_SA_UPDATE,
	KIPSEC_CMD_SA_DEL,
	KIPSEC_CMD_SA_GET,
	KIPSEC_CMD_SA_FLUSH,
	KIPSEC_CMD_POLICY_ADD,
	KIPSEC_CMD_POLICY_DEL,
	KIPSEC_CMD_POLICY_GET,
	KIPSEC_CMD_POLICY_FLUSH,
	KIPSEC_CMD_GET_STATS,
	KIPSEC_CMD_ACQUIRE,
	KIPSEC_CMD_EXPIRE,
	KIPSEC_CMD_SA_DELETED,

	__KIPSEC_CMD_MAX,
	KIPSEC_CMD_MAX = (__KIPSEC_CMD_MAX - 1)
};

#define KIPSEC_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_KIPSEC_H */
