#!/usr/bin/env bash
# Installs (or upgrades) the Tally agent on this host. Idempotent: run it again to install a newer agent file.
#   - the one-file agent → /opt/tally/tally-agent.cjs
#   - a system user `tally-agent` with no shell and no home of its own
#   - /etc/tally/agent.json with a fresh random token, mode 600 — only when there is none: an existing config
#     (and so the token the console holds) is never overwritten
#   - the systemd unit tally-agent.service, enabled and (re)started
# and prints the address and token to add in the console.
#
# Usage: sudo packaging/agent/install.sh [--agent FILE] [--host ADDR] [--port N] [--agent-id ID]
#                                        [--prefix DIR] [--no-systemd]
#   --agent FILE   the built agent (default: dist/agent/tally-agent.cjs of this checkout; `npm run build` makes it)
#   --host, --port where a new config listens (default 0.0.0.0:7411); ignored when a config exists
#   --agent-id ID  the id in a new config (default: this host's name)
#   --prefix DIR   install under DIR as if it were / (packaging and tests): creates no user, runs no systemctl
#   --no-systemd   do not install the unit (hosts without systemd: run the agent under your own supervisor)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
agent_file="$here/../../dist/agent/tally-agent.cjs"
listen_host=0.0.0.0
listen_port=7411
agent_id=$(hostname 2>/dev/null || echo tally-host)
prefix=
systemd=1

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) agent_file=${2:?--agent needs a file}; shift 2 ;;
    --host) listen_host=${2:?--host needs an address}; shift 2 ;;
    --port) listen_port=${2:?--port needs a number}; shift 2 ;;
    --agent-id) agent_id=${2:?--agent-id needs an id}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

# Values below are written into JSON by printf, so they are checked to need no escaping.
[[ $listen_port =~ ^[0-9]{1,5}$ ]] && [ "$listen_port" -le 65535 ] || die "--port must be 0-65535"
[[ $listen_host =~ ^[0-9A-Za-z.:-]+$ ]] || die "--host must be an IP address or a host name"
agent_id=$(printf '%s' "$agent_id" | tr -c 'A-Za-z0-9._-' '-' | cut -c1-128)
[ -n "$agent_id" ] || die "--agent-id is empty"
[ -f "$agent_file" ] || die "no agent at $agent_file (run npm run build, or pass --agent FILE)"

node_bin=$(command -v node || true)
[ -n "$node_bin" ] || die "Node.js 20 or newer is needed on this host (apt-get install nodejs)"
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $node_major found at $node_bin; the agent needs 20 or newer"

if [ -z "$prefix" ] && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo), or pass --prefix DIR"; fi
root=${prefix%/}
user=tally-agent
opt_dir=/opt/tally
etc_dir=/etc/tally
state_dir=/var/lib/tally
config=$etc_dir/agent.json
unit=/etc/systemd/system/tally-agent.service

if [ -z "$prefix" ] && ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$state_dir" --no-create-home --shell /usr/sbin/nologin "$user"
  echo "created system user $user"
fi

install -d -m 755 "$root$opt_dir"
# install replaces the file as a whole, so a running agent keeps its old copy until it restarts.
install -m 755 "$agent_file" "$root$opt_dir/tally-agent.cjs"
install -d -m 750 "$root$etc_dir" "$root$state_dir"
[ -n "$prefix" ] || chown "root:$user" "$root$etc_dir"
[ -n "$prefix" ] || chown "$user:$user" "$root$state_dir"

if [ -e "$root$config" ]; then
  echo "kept the existing config $config"
else
  token=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  tmp=$(mktemp "$root$etc_dir/.agent.json.XXXXXX")
  chmod 600 "$tmp"
  printf '{\n  "agentId": "%s",\n  "listen": { "host": "%s", "port": %s },\n  "token": "%s",\n  "roles": ["system"]\n}\n' \
    "$agent_id" "$listen_host" "$listen_port" "$token" >"$tmp"
  [ -n "$prefix" ] || chown "$user:$user" "$tmp"
  mv -f "$tmp" "$root$config"
  echo "created $config with a new token"
fi
chmod 600 "$root$config"

if [ $systemd -eq 1 ]; then
  install -d -m 755 "$root$(dirname "$unit")"
  sed "s|^ExecStart=/usr/bin/node |ExecStart=$node_bin |" "$here/tally-agent.service" >"$root$unit.tmp"
  chmod 644 "$root$unit.tmp"
  mv -f "$root$unit.tmp" "$root$unit"
  if [ -z "$prefix" ]; then
    systemctl daemon-reload
    systemctl enable tally-agent >/dev/null
    # restart, not start: a re-run installs a new agent file that must take effect.
    systemctl restart tally-agent
    echo "tally-agent.service enabled and running (journalctl -u tally-agent for its log)"
  fi
fi

# Read back what the config holds (a kept config may listen elsewhere than the options said).
read -r cfg_host cfg_port cfg_token < <("$node_bin" -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(c.listen?.host ?? "0.0.0.0", c.listen?.port ?? 7411, c.token);' "$root$config")
if [ "$cfg_host" = 0.0.0.0 ] || [ "$cfg_host" = "::" ]; then
  cfg_host=$(hostname -I 2>/dev/null | awk '{print $1}')
  cfg_host=${cfg_host:-$(hostname)}
fi
echo
echo "Add this host in the Tally console:"
echo "  address  $cfg_host:$cfg_port"
echo "  token    $cfg_token"
echo "Roles are switched on in $config (\"roles\"); restart the agent after editing it."
