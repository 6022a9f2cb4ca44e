/**
 * The event script busybox udhcpc runs inside an instance namespace. It
 * configures the leased address, MTU (option 26), classless static routes
 * (option 121, which replaces the router option as RFC 3442 says) or the
 * default route, all with `proto dhcp` so a renewal replaces exactly its own
 * routes. DNS goes to the instance's state directory, never to /etc/resolv.conf.
 */
export const UDHCPC_SCRIPT = `#!/bin/sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin
dir="\${NEUTRINO_INSTANCE_DIR:?}"
event="$1"
case "$event" in
  deconfig)
    ip -4 route flush dev "$interface" proto dhcp 2>/dev/null
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    rm -f "$dir/lease.env"
    ;;
  bound|renew)
    [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
    if ! ip -4 -o addr show dev "$interface" | grep -q " $ip/$mask "; then
      ip -4 addr flush dev "$interface"
      ip addr add "$ip/$mask" broadcast "\${broadcast:-+}" dev "$interface"
    fi
    ip -4 route flush dev "$interface" proto dhcp 2>/dev/null
    if [ -n "$staticroutes" ]; then
      set -- $staticroutes
      while [ $# -ge 2 ]; do
        if [ "$2" = 0.0.0.0 ]; then
          ip route replace "$1" dev "$interface" proto dhcp
        else
          ip route replace "$1" via "$2" dev "$interface" proto dhcp onlink
        fi
        shift 2
      done
    else
      for r in $router; do
        ip route replace default via "$r" dev "$interface" proto dhcp
        break
      done
    fi
    : > "$dir/resolv.conf.tmp"
    [ -n "$domain" ] && echo "search $domain" >> "$dir/resolv.conf.tmp"
    for d in $dns; do echo "nameserver $d" >> "$dir/resolv.conf.tmp"; done
    mv "$dir/resolv.conf.tmp" "$dir/resolv.conf"
    printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\nmtu=%s\\nlease=%s\\nserverid=%s\\nstaticroutes=%s\\n' \\
      "$ip" "$mask" "$router" "$dns" "$mtu" "$lease" "$serverid" "$staticroutes" > "$dir/lease.env.tmp"
    mv "$dir/lease.env.tmp" "$dir/lease.env"
    ;;
esac
exit 0
`;
