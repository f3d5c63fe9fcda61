#!/usr/bin/env bash
# Import the office's spreadsheets in order — areas, members, logs, checks — as a scheduled
# job (cron) or by hand. Every import is all or nothing; the first file with a bad row
# stops the run, its rejected rows are written next to the log, and the exit code is
# cbtool's (1: rejected input, 3: database or environment problem).
#
# Usage:  batch-import.sh [DIR]        DIR holds the files (default: this script's directory)
# Environment:
#   CBTOOL_DB            the database (or cbtool's config / default)
#   BATCH_IMPORT_LOG     where the tally lines go (default: DIR/import.log)
#   BATCH_ERRORS_DIR     where rejected rows go (default: DIR/errors)
#
# crontab example (every night at 02:30, mail only on failure):
#   30 2 * * *  CBTOOL_DB=$HOME/cbtool/cbtool.db $HOME/cbtool/batch-import.sh $HOME/incoming
set -euo pipefail

dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
log="${BATCH_IMPORT_LOG:-$dir/import.log}"
errors_dir="${BATCH_ERRORS_DIR:-$dir/errors}"
mkdir -p "$errors_dir"

# noun and file, in the order the records depend on each other
steps=(
  "areas areas.csv"
  "members members-gbk.csv"
  "members members.xlsx"
  "logs logs.csv"
  "checklist checks.csv"
)

messages="$(mktemp)"
trap 'rm -f "$messages"' EXIT

for step in "${steps[@]}"; do
  read -r noun name <<<"$step"
  file="$dir/$name"
  if [[ ! -e "$file" ]]; then
    echo "batch-import: $file not found; nothing more imported" >&2
    exit 1
  fi
  status=0
  cbtool "$noun" import "$file" --yes --errors "$errors_dir/$name.errors.csv" \
    2>"$messages" || status=$?
  tally="$(grep -E '^inserted [0-9]+, updated [0-9]+, unchanged [0-9]+, rejected [0-9]+$' \
    "$messages" | tail -n 1 || true)"
  printf '%s %s %s: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$noun" "$name" \
    "${tally:-failed (exit $status)}" >>"$log"
  if [[ "$status" -ne 0 ]]; then
    cat "$messages" >&2
    echo "batch-import: $name failed (exit $status); rejected rows: $errors_dir/$name.errors.csv;" \
      "later files were not imported" >&2
    exit "$status"
  fi
done
