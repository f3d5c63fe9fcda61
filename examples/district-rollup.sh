#!/usr/bin/env bash
# Last month's district roll-up of the offices' reports, written unattended by cron.
#
# Each office runs nightly-report.sh and sends the JSON report to the district's shared
# directory, one sub-directory per month, by any file transfer (scp, rsync, a shared
# drive). At the office whose config says [office] code = "310116007":
#
#   40 6 1 * *  m=$(date -d "$(date +\%Y-\%m-01) -1 day" +\%Y-\%m); scp -q /srv/cbtool/reports/cbtool-report-$m.json district:/srv/rollup/incoming/$m/310116007.json
#
# At the district, later that day (its config names the units it expects,
# [rollup] expect = ["310116007", …]):
#
#   0 9 1 * *  CBTOOL_CONFIG=/srv/rollup/cbtool.toml /srv/rollup/district-rollup.sh /srv/rollup/incoming /srv/rollup/reports
#
# It rolls up INCOMING/<YYYY-MM>/*.json into cbtool-rollup-<YYYY-MM>.json, .html and
# .xlsx in OUT (default ./reports), each atomically, readable by the owner only. A file
# that is not a report of that month is refused and the others rolled up; refused files,
# units missing or reporting twice are named on stderr with the tally line
# (单位 12，缺报 1，拒收 0), which cron mails. Nothing to roll up, or a disk problem,
# stops it with cbtool's exit code (1 or 3).
set -euo pipefail

incoming="${1:?usage: district-rollup.sh INCOMING [OUT]}"
out="${2:-reports}"
today="${CBTOOL_TODAY:-$(date +%F)}"  # CBTOOL_TODAY: cbtool's own "today", for a rerun
month=$(date -d "${today:0:7}-01 -1 day" +%Y-%m)
mkdir -p -m 700 "$out"  # owner-only, as the directories cbtool makes

rollup() { cbtool rollup "$incoming/$month" --period "$month" --skip-invalid --out "$out" "$@"; }

rollup --format json >/dev/null  # its messages and tally go to stderr
for fmt in html xlsx; do  # the same messages again: shown only if this one fails
  status=0
  err=$(rollup --format "$fmt" 2>&1 >/dev/null) || status=$?
  if [ "$status" -ne 0 ]; then
    printf '%s\n' "$err" >&2
    exit "$status"
  fi
done
