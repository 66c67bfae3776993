/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the netlink request handlers.
 */
#ifndef _KIPSEC_NL_COMMON_H
#define _KIPSEC_NL_COMMON_H

#include <net/genetlink.h>

#include "selector.h"

/*
 * Fail unless @tb[@type] is present: the extack reports the missing
 * attribute (and its enclosing @nest, if any) with @what as the message.
 */
#define KIPSEC_REQUIRE(extack, nest, tb, type, what) ({				\
	struct netlink_ext_ack *__ext = (extack);				\
	bool __missing = NL_REQ_ATTR_CHECK(__ext, nest, tb, type);		\
	if (__missing)								\
		NL_SET_ERR_MSG(__ext, what);					\
	__missing;								\
})

int kipsec_nl_get_family(struct nlattr *attr, u16 *family, struct netlink_ext_ack *extack);
int kipsec_nl_get_addr(struct nlattr *attr, u16 family, union kipsec_addr *addr,
		       struct netlink_ext_ack *extack);
int kipsec_nl_put_addr(struct sk_buff *msg, int attr, u16 family, const union kipsec_addr *a);

#endif /* _KIPSEC_NL_COMMON_H */
