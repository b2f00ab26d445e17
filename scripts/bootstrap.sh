#!/usr/bin/env bash
# Installs the Debian packages Tally and its tests run against, when they are missing. Idempotent and quiet:
# it prints nothing when everything is already there. Pass --quiet to also hide the list of what it installs.
set -euo pipefail
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

# package → a file that proves it is installed
declare -A probe=(
  [ffmpeg]=/usr/bin/ffmpeg
  [iputils-ping]=/usr/bin/ping
  [chromium]=/usr/bin/chromium
  [snmpd]=/usr/sbin/snmpd
  [snmp]=/usr/bin/snmpget
  [nginx]=/usr/sbin/nginx
  [libnginx-mod-rtmp]=/usr/share/nginx/modules-available/mod-rtmp.conf
  [etcd-server]=/usr/bin/etcd
  [rsync]=/usr/bin/rsync
  [poppler-utils]=/usr/bin/pdftoppm
  [iproute2]=/usr/sbin/ip
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  [bind9]=/usr/sbin/named
  [bind9-dnsutils]=/usr/bin/nsupdate
  [prometheus]=/usr/bin/promtool
)
missing=()
for pkg in "${!probe[@]}"; do
  [ -e "${probe[$pkg]}" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
    echo "bootstrap: missing Debian packages: ${missing[*]} — install them as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
else sudo=; fi

[ $quiet -eq 1 ] || echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/tally-bootstrap.log 2>&1 || {
  echo "bootstrap: apt-get install failed; see /tmp/tally-bootstrap.log" >&2
  tail -20 /tmp/tally-bootstrap.log >&2
  exit 1
}
# The packaged services must not hold the ports our tests use: the tests start their own instances.
for svc in nginx snmpd etcd named prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then $sudo systemctl stop "$svc" || true; fi
  pkill -x "$svc" 2>/dev/null || true
done
exit 0
