#!/usr/bin/env bash
# Last month's reports for the sub-district office, written unattended by cron.
#
#   crontab -e
#   # 06:30 on the 1st of every month; cron mails the output only when something failed
#   30 6 1 * *  CBTOOL_DB=/srv/cbtool/cbtool.db CBTOOL_CONFIG=/srv/cbtool/cbtool.toml /srv/cbtool/nightly-report.sh /srv/cbtool/reports
#   (cron runs in $HOME: name the config, or the reports carry no [office] name and code)
#
# It writes cbtool-report-<YYYY-MM>.html and .json into the directory given (default
# ./reports), each atomically, readable by the owner only. It fails loudly: any error
# stops the script with cbtool's exit code (1 bad input, 3 database or disk problem)
# and one line on stderr, which cron mails. On success it prints nothing.
set -euo pipefail

out="${1:-reports}"
mkdir -p "$out"
cbtool db check >/dev/null
cbtool report --period last-month --format html --out "$out" >/dev/null
cbtool report --period last-month --format json --out "$out" >/dev/null
