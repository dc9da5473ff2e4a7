#!/bin/sh
# `npm start` and the image's command: node with the arguments scripts/server-command.mjs derives from the
# environment (the V8 memory flags follow MEMORY_LIMIT_MB). exec, so that node keeps this process's id and
# receives the signals (SIGTERM starts the graceful close).
set -e
args=$(node "$(dirname "$0")/server-command.mjs")
# shellcheck disable=SC2086 # one argument per line, none with spaces
exec node $args
