#!/usr/bin/env bash
# Installs what Neutrino needs and is missing, then builds: Debian packages
# (as root; otherwise says what to install), npm packages, the TypeScript build.
# Used by `npm start` and `npm test`; safe to run again (it skips what is there).
set -euo pipefail
cd "$(dirname "$0")/../.."

# command -> Debian package
declare -A NEED=(
  [nats-server]=nats-server [iptables]=iptables [ipset]=ipset [dnsmasq]=dnsmasq-base
  [haproxy]=haproxy [keepalived]=keepalived [ping]=iputils-ping [conntrack]=conntrack [ip]=iproute2 [udhcpc]=udhcpc [curl]=curl [arping]=iputils-arping [sysctl]=procps
  [ovs-vswitchd]=openvswitch-switch [ethtool]=ethtool [tcpdump]=tcpdump
  # VPNaaS: starter + charon per router (services/l3-agent/src/vpn), swanctl to read its SAs
  [ipsec]=strongswan [swanctl]=strongswan-swanctl
)
if [ "${NEUTRINO_WITH_OPENSTACK_CLI:-0}" = 1 ]; then NEED[openstack]=python3-openstackclient; NEED[neutron]=python3-neutronclient; fi
# A real Keystone for the keystone e2e (libs/testing-suite/src/keystone.ts): the Python package only
# (Debian's `keystone` package would add a system service and dbconfig prompts), served by uwsgi's
# core and python3 plugin (no uwsgi service either); the test starts and stops it by PID.
if [ "${NEUTRINO_WITH_KEYSTONE:-0}" = 1 ]; then NEED[keystone-manage]=python3-keystone; NEED[uwsgi]=uwsgi-core; NEED[openstack]=python3-openstackclient; fi

missing=()
for cmd in "${!NEED[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
# VPNaaS on a kernel without ESP (CONFIG_INET_ESP unset): strongSwan's userspace IPsec, a charon plugin rather than a command
[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || missing+=(libcharon-extra-plugins)
# `openstack loadbalancer ...` (the LBaaS e2e): the Octavia plugin of the client, a module rather than a command
if [ "${NEUTRINO_WITH_OPENSTACK_CLI:-0}" = 1 ] && ! /usr/bin/python3 -c 'import octaviaclient' >/dev/null 2>&1; then missing+=(python3-octaviaclient); fi
if [ "${NEUTRINO_WITH_KEYSTONE:-0}" = 1 ] && [ ! -e /usr/lib/uwsgi/plugins/python3_plugin.so ]; then missing+=(uwsgi-plugin-python3); fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-env: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq
    # Open vSwitch runs per host inside its namespace (libs/dataplane/src/ovs), never as the
    # package's service in the root namespace: a policy-rc.d refuses the start while installing
    # (only when there is none already), and whatever service got started is stopped and disabled.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy=/usr/sbin/policy-rc.d
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -n "$policy" ] && rm -f "$policy"
    if [[ " ${missing[*]} " == *" openvswitch-switch "* ]]; then
      systemctl disable --now openvswitch-switch ovs-vswitchd ovsdb-server >/dev/null 2>&1 || true
      [ -d /run/systemd/system ] || /etc/init.d/openvswitch-switch stop >/dev/null 2>&1 || true
    fi
  else
    echo "ensure-env: missing Debian packages (install them as root): ${missing[*]}" >&2
    PATH="$PATH:/usr/sbin" command -v nats-server >/dev/null 2>&1 || exit 1
  fi
fi

# npm packages: `npm ci` on a fresh checkout (the committed lock holds every
# platform's optional packages, so npm leaves it as it is); `npm install` when
# node_modules is older than the lock file.
if [ ! -f node_modules/.package-lock.json ]; then
  echo "ensure-env: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-env: updating npm packages" >&2
  npm install --no-audit --no-fund --loglevel=error
fi

# The build is incremental (tsc --incremental): quick when nothing changed.
npx tsc -p tsconfig.build.json
