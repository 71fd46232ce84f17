# scripts/lib/buf.sh — sourced by the scripts that talk to a supervisor with `buf curl`
# (grpcurl is not packaged in Debian 12): installs buf from npm (@bufbuild/buf) into
# .tools/ when it is missing and sets $buf to its Go binary.
#
# Usage: source scripts/lib/buf.sh; ensure_buf NAME   (NAME prefixes the messages)

buf_version=1.75.0

ensure_buf() {
  local name=$1 root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  buf="$root/.tools/node_modules/.bin/buf"
  if [[ ! -x "$buf" || "$("$buf" --version 2>/dev/null)" != "$buf_version" ]]; then
    command -v npm >/dev/null || { echo "$name: npm is needed to install buf (@bufbuild/buf@$buf_version) into .tools/" >&2; return 1; }
    echo "$name: installing buf $buf_version into .tools/ (npm install --prefix .tools @bufbuild/buf@$buf_version)" >&2
    npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error "@bufbuild/buf@$buf_version" </dev/null >&2
    [[ "$("$buf" --version 2>/dev/null)" == "$buf_version" ]] || { echo "$name: buf $buf_version did not install into .tools/" >&2; return 1; }
  fi
  # .bin/buf is a Node.js launcher (~0.08 s of CPU per call); use the platform package's Go binary it launches.
  local native
  for native in "$root"/.tools/node_modules/@bufbuild/buf-linux-*/bin/buf; do
    if [[ -x "$native" && "$("$native" --version 2>/dev/null)" == "$buf_version" ]]; then buf=$native; break; fi
  done
}
