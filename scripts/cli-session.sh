#!/usr/bin/env bash
# Prints the session transcript of docs/cli.md ("A session"): every command
# really run, in a fresh directory, on the default (sqlite) stack.
# Usage: bash scripts/cli-session.sh > /tmp/session.txt
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export NO_COLOR=1
unset SECURE_LOG_KEYSTORE_SEED SECURE_LOG_KEYSTORE_KEY_FILE SECURE_LOG_DATA SECURE_LOG_STACK
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > seed.hex

# Shows a command line as typed, runs it with `secure-log` as the CLI, shows [exit N] on failure.
show() {
  echo "\$ $1"
  bash -c "secure-log() { node --import '$root/node_modules/tsx/dist/loader.mjs' '$root/cli/main.ts' \"\$@\"; }; $1" 2>&1 |
    sed "s#$work#/home/ops#g"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -ne 0 ] && echo "[exit $rc]"
  echo
}

show "secure-log --help"
show "secure-log init --data ./audit"
export SECURE_LOG_DATA=./audit
echo "\$ export SECURE_LOG_DATA=./audit"; echo
show "secure-log streams create ops --tier protected --description 'operator actions'"
show "echo '{\"user\":\"alice\",\"action\":\"login\",\"from\":\"10.0.0.7\"}' | secure-log append - --event-type auth.login --severity notice"
show "secure-log append 'config reloaded by bob' --stream ops --event-type config.reload"
printf 'nightly backup finished: 42 GiB in 311 s\n' > report.txt
echo "\$ printf 'nightly backup finished: 42 GiB in 311 s\\n' > report.txt"; echo
show "secure-log append --file report.txt --stream ops --producer cron --encoding text"
show "secure-log append 'disk almost full' --severity loud"
show "secure-log streams list"
show "secure-log tail --stream ops"
show "secure-log read 1"
show "secure-log seal --stream ops | tee seal.txt"
show "secure-log prove 3 > proof-3.json && cat proof-3.json"
show "secure-log verify-proof proof-3.json --root \$(grep -o 'root [0-9a-f]*' seal.txt | cut -d' ' -f2)"
show "secure-log verify-proof proof-3.json --root $(printf '0%.0s' {1..64})"
show "secure-log verify"
show "secure-log sign 1"
export SECURE_LOG_KEYSTORE_SEED=$(cat seed.hex)
echo "\$ export SECURE_LOG_KEYSTORE_SEED=\$(cat seed.hex)"; echo
show "secure-log sign 1 --key ops-signer"
show "secure-log verify"
show "secure-log witness submit --stream ops"
show "secure-log tail --stream x"
echo "\$ npx tsx -e '…flipPayloadBit(\"audit/secure-log.db\", …\"nightly backup finished: 42 GiB in 311 s\\n\"…)'   # verify/data-sqlite.ts"
(cd "$root" && node --import "$root/node_modules/tsx/dist/loader.mjs" -e "
  import('$root/verify/data-sqlite.ts').then((m) =>
    m.flipPayloadBit('$work/audit/secure-log.db', new TextEncoder().encode('nightly backup finished: 42 GiB in 311 s\n')))
  .then((d) => console.log(d))") 2>&1
echo
show "secure-log verify"
show "secure-log --json verify"
show "secure-log seal --help"
