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
	KIPSEC_CMD_UNSPEC,
	KIPSEC_CMD_GET_INFO,

	__KIPSEC_CMD_MAX,
	KIPSEC_CMD_MAX = (__KIPSEC_CMD_MAX - 1)
};

#define KIPSEC_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_KIPSEC_H */
