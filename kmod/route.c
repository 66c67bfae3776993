// SPDX-License-Identifier: GPL-2.0
/*
 * A route of its own for an SA's ESP and AH packets, when the route they
 * would leave on carries a path MTU lowered for the packets they protect.
 *
 * The kernel keeps a learned path MTU per (nexthop, destination): a PMTU
 * exception. In transport mode, and in tunnel mode between the two hosts'
 * own addresses, the inner packets and the ESP packets go to the same
 * destination, so the MTU output.c signals to a sender for its inner
 * packets (the path MTU less the ESP overhead) lands on the very route the
 * ESP packets take, and the stack would fragment every full-sized ESP
 * packet at it. xfrm avoids this by stacking a dst of its own on the
 * route; kipsec has no hook in route lookups, so instead the ESP packet of
 * such a flow is moved to a copy of its route without the exception, whose
 * MTU is the device's (output.c keeps ESP packets within it, within an
 * MTU configured on the route, and within what ICMP about the SA's own ESP
 * packets said: sa->pmtu).
 *
 * The copy is cached per SA (per-CPU SAs each have their own, so the
 * reference taken per packet stays on one CPU's cache line) and made
 * again when the route changes device or gateway. Such copies are on no
 * list of the routing code, which moves routes off a device going away:
 * a netdevice notifier drops cached copies of a device being unregistered
 * (unregistering waits for the device's last reference, and rebroadcasts
 * the event while it waits, so a copy made late is dropped too).
 *
 * The route to a tunnel SA's peer is cached too, in a dst_cache (per CPU,
 * each use checked against route changes), as IP tunnels and WireGuard
 * cache theirs: otherwise each packet out costs a FIB lookup that xfrm's
 * bundle spares it (~600 guest instructions of ~39,000 per 64-byte
 * datagram, tests/bench/prof.sh). These are the routing code's own
 * routes, so their devices are taken from them when they go away (a
 * route's device becomes blackhole_netdev, and the cache's check then
 * fails): no notifier is needed for them.
 */
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "kipsec.h"
#include "route.h"
#include "sa.h"

static const struct rt6_info *rt6_of(const struct dst_entry *dst)
{
	return container_of(dst, struct rt6_info, dst);
}

/*
 * @dst is an rtable or an rt6_info: not an xfrm bundle (native xfrm also
 * protecting the flow runs POST_ROUTING with its bundle attached), nor a
 * metadata dst.
 */
static bool is_route(const struct dst_entry *dst)
{
	return !dst->xfrm && (dst->ops->family == AF_INET || dst->ops->family == AF_INET6);
}

/*
 * The MTU configured on @dst's route ("ip route ... mtu N"), without a
 * learned exception; 0 if none, or if @dst is no plain route. IPv4 keeps
 * an exception's MTU apart (rt_pmtu), the metrics are the FIB entry's. An
 * IPv6 exception is a route of its own (RTF_CACHE) whose MTU metric was
 * overwritten: read the FIB entry it was made from. An IPv6 route without
 * an MTU of its own has the interface's IPv6 MTU (net.ipv6.conf.DEV.mtu,
 * which may be below the device's), as ip6_mtu() gives it.
 */
unsigned int kipsec_route_conf_mtu(const struct dst_entry *dst)
{
	const struct rt6_info *rt;
	const struct fib6_info *from;
	const struct inet6_dev *idev;
	unsigned int mtu = 0;

	if (!is_route(dst))
		return 0;
	if (dst->ops->family == AF_INET)
		return dst_metric_raw(dst, RTAX_MTU);
	rt = rt6_of(dst);
	rcu_read_lock();
	from = rcu_dereference(rt->from);
	if (from)
		mtu = from->fib6_pmtu;
	else if (!(rt->rt6i_flags & RTF_CACHE))
		mtu = dst_metric_raw(dst, RTAX_MTU);
	if (!mtu) {
		idev = __in6_dev_get(dst->dev);
		if (idev)
			mtu = READ_ONCE(idev->cnf.mtu6);
	}
	rcu_read_unlock();
	return mtu;
}

/* @c, a copy made from an earlier route, still leads where @orig does. */
static bool same_path(const struct dst_entry *c, const struct dst_entry *orig)
{
	if (c->dev != orig->dev || c->ops->family != orig->ops->family)
		return false;
	if (orig->ops->family == AF_INET) {
		const struct rtable *a = container_of(c, struct rtable, dst);
		const struct rtable *b = container_of(orig, struct rtable, dst);

		if (a->rt_gw_family != b->rt_gw_family || a->rt_type != b->rt_type)
			return false;
		if (b->rt_gw_family == AF_INET)
			return a->rt_gw4 == b->rt_gw4;
		if (b->rt_gw_family == AF_INET6)
			return ipv6_addr_equal(&a->rt_gw6, &b->rt_gw6);
		return true;
	}
	if (!(rt6_of(orig)->rt6i_flags & RTF_GATEWAY))
		return !(rt6_of(c)->rt6i_flags & RTF_GATEWAY);
	return (rt6_of(c)->rt6i_flags & RTF_GATEWAY) &&
	       ipv6_addr_equal(&rt6_of(c)->rt6i_gateway, &rt6_of(orig)->rt6i_gateway);
}

/* IPv4: the routing code's own copy, with the exception's MTU cleared. */
static struct dst_entry *copy4(struct dst_entry *orig)
{
	struct rtable *rt = rt_dst_clone(orig->dev, container_of(orig, struct rtable, dst));

	if (!rt)
		return NULL;
	rt->rt_pmtu = 0;
	rt->rt_mtu_locked = 0;
	return &rt->dst;
}

/*
 * IPv6 exports no copy: a new route on the device with what output reads
 * (the next hop, the interface's state); its MTU is the interface's.
 */
static struct dst_entry *copy6(struct dst_entry *orig)
{
	const struct rt6_info *o = rt6_of(orig);
	struct net_device *dev = orig->dev;
	struct inet6_dev *idev = in6_dev_get(dev);
	struct rt6_info *rt;

	if (!idev)
		return NULL;
	rt = ip6_dst_alloc(dev_net(dev), dev, 0);
	if (!rt) {
		in6_dev_put(idev);
		return NULL;
	}
	/* ip6_dst_destroy() drops the idev reference. */
	rt->rt6i_idev = idev;
	rt->dst.input = orig->input;
	rt->dst.output = orig->output;
	rt->rt6i_dst = o->rt6i_dst;
	if (o->rt6i_flags & RTF_GATEWAY) {
		rt->rt6i_flags = RTF_GATEWAY;
		rt->rt6i_gateway = o->rt6i_gateway;
	}
	return &rt->dst;
}

/* The SA's copy of @orig, with a reference for the caller; NULL if none can be had. */
static struct dst_entry *sa_route(struct kipsec_sa *sa, struct dst_entry *orig)
{
	struct dst_entry *c, *old;

	rcu_read_lock();
	c = rcu_dereference(sa->esp_dst);
	/* A copy being released (its count reached zero) is not taken. */
	if (c && same_path(c, orig) && dst_hold_safe(c)) {
		rcu_read_unlock();
		return c;
	}
	rcu_read_unlock();

	c = orig->ops->family == AF_INET ? copy4(orig) : copy6(orig);
	if (!c)
		return NULL;
	/*
	 * One reference for the packet, one for the SA. Racing CPUs each
	 * install theirs; the losers' copies are released with the packets
	 * they went with. dst_release() frees after an RCU grace period, so
	 * a reader above never sees a copy freed under it.
	 */
	dst_hold(c);
	old = unrcu_pointer(xchg(&sa->esp_dst, RCU_INITIALIZER(c)));
	dst_release(old);
	return c;
}

/*
 * @skb is a finished ESP or AH packet of @sa, about to go through the IP
 * output path on its route. If that route's MTU is an exception below the
 * device's that the packet exceeds, send it on the SA's copy instead.
 */
void kipsec_route_fit(struct kipsec_sa *sa, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb), *c;
	unsigned int mtu = dst_mtu(dst);

	if (likely(skb->len <= mtu || mtu >= READ_ONCE(dst->dev->mtu)))
		return;
	/* Only plain routes: none with a lightweight tunnel. */
	if (!is_route(dst) || dst->lwtstate)
		return;
	if (dst->ops->family == AF_INET &&
	    container_of(dst, struct rtable, dst)->rt_type != RTN_UNICAST)
		return;
	c = sa_route(sa, dst);
	if (c) {
		skb_dst_drop(skb);
		skb_dst_set(skb, c);
	}
}

/*
 * The SA's route cache, made on its first packet out (so that inbound
 * SAs, half of all, never pay its per-CPU memory); NULL if memory is
 * short, and the packet is routed without it. Racing CPUs each make one;
 * the first to install it wins.
 */
static struct dst_cache *tunnel_cache(struct kipsec_sa *sa)
{
	struct dst_cache *c, *old;

	/* Pairs with the cmpxchg() below: a cache seen is initialised. */
	c = smp_load_acquire(&sa->tun_cache);
	if (likely(c))
		return c;
	c = kmalloc(sizeof(*c), GFP_ATOMIC);
	if (!c)
		return NULL;
	if (dst_cache_init(c, GFP_ATOMIC)) {
		kfree(c);
		return NULL;
	}
	old = cmpxchg(&sa->tun_cache, NULL, c);
	if (old) {
		dst_cache_destroy(c);
		kfree(c);
		return old;
	}
	return c;
}

static struct dst_entry *tunnel_route4(struct net *net, struct kipsec_sa *sa,
				       struct dst_cache *c, u32 mark)
{
	struct flowi4 fl4 = {
		.daddr = sa->id.daddr.a4,
		.saddr = sa->saddr.a4,
		.flowi4_proto = sa->id.proto,
		.flowi4_mark = mark,
	};
	struct rtable *rt = ip_route_output_key(net, &fl4);

	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (c)
		dst_cache_set_ip4(c, &rt->dst, fl4.saddr);
	return &rt->dst;
}

static struct dst_entry *tunnel_route6(struct net *net, struct kipsec_sa *sa,
				       struct dst_cache *c, u32 mark)
{
	struct flowi6 fl6 = {
		.daddr = sa->id.daddr.a6,
		.saddr = sa->saddr.a6,
		.flowi6_proto = sa->id.proto,
		.flowi6_mark = mark,
	};
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);
	int err = dst->error;

	if (err) {
		dst_release(dst);
		return ERR_PTR(err);
	}
	if (c)
		dst_cache_set_ip6(c, dst, &fl6.saddr);
	return dst;
}

/*
 * Route to the peer of tunnel SA @sa, from the SA's source, as ESP or AH;
 * with a reference for the caller. Only packets without a mark use the
 * cache: the mark is the one key of the lookup that varies per packet.
 * The cache is per CPU, and softirqs use it too: BHs stay off around it.
 * Taking a route from the cache is the same for both families (the source
 * address dst_cache_get_ip4/6 would also return is the SA's, unused here);
 * storing one is not (IPv6 keeps its FIB cookie): tunnel_route4/6.
 */
struct dst_entry *kipsec_route_tunnel(struct net *net, struct kipsec_sa *sa,
				      const struct sk_buff *skb)
{
	struct dst_cache *c = skb->mark ? NULL : tunnel_cache(sa);
	struct dst_entry *dst = NULL;

	local_bh_disable();
	if (c)
		dst = dst_cache_get(c);
	if (!dst)
		dst = sa->id.family == AF_INET ? tunnel_route4(net, sa, c, skb->mark) :
						 tunnel_route6(net, sa, c, skb->mark);
	local_bh_enable();
	return dst;
}

/* At the SA's free: no packet path can reach it any more. */
void kipsec_route_release(struct kipsec_sa *sa)
{
	dst_release(rcu_dereference_protected(sa->esp_dst, true));
	if (sa->tun_cache) {
		dst_cache_destroy(sa->tun_cache);
		kfree(sa->tun_cache);
	}
}

static int route_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct kipsec_net *kn;
	struct kipsec_sa *sa;
	struct dst_entry *c;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	/*
	 * The namespace's state outlives its devices: devices go in a
	 * namespace's teardown before pernet subsystems like kipsec's, and
	 * the notifier is registered only while that state exists
	 * (kipsec_route_init). RTNL, then kn->lock: nothing holding kn->lock
	 * takes RTNL. SAs already unlinked are not seen; they are freed
	 * (and their copies released) once their last packets are done.
	 */
	kn = kipsec_pernet(dev_net(dev));
	mutex_lock(&kn->lock);
	list_for_each_entry(sa, &kn->sa_list, list) {
		rcu_read_lock();
		c = rcu_dereference(sa->esp_dst);
		if (c && c->dev == dev &&
		    cmpxchg(&sa->esp_dst, RCU_INITIALIZER(c), NULL) == RCU_INITIALIZER(c))
			dst_release(c);
		rcu_read_unlock();
	}
	mutex_unlock(&kn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block route_netdev_nb = {
	.notifier_call = route_netdev_event,
};

int kipsec_route_init(void)
{
	return register_netdevice_notifier(&route_netdev_nb);
}

void kipsec_route_uninit(void)
{
	unregister_netdevice_notifier(&route_netdev_nb);
}
