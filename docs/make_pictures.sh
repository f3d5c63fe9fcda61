#!/bin/sh
# Remakes the pictures of the papers in the README: docs/花名册.png and
# docs/服务点工作台账.png, the first page of the html roster and of the ledger (point A01,
# this year) of a demo database (`cbtool init --sample`), drawn by headless
# Chromium on a window the size of an A4 page at 96 dpi.
#
#   sh docs/make_pictures.sh            # cbtool and chromium from PATH
#   CBTOOL=.venv/bin/cbtool CHROME=/usr/bin/google-chrome sh docs/make_pictures.sh
#
# The pictures need a Chinese font (Debian: fonts-noto-cjk). Nothing is written but the
# two pictures; the demo database lives in a temporary directory, removed at the end.
set -eu

docs=$(cd "$(dirname "$0")" && pwd)
cbtool=${CBTOOL:-cbtool}
chrome=${CHROME:-$(command -v chromium || command -v chromium-browser ||
                   command -v google-chrome || command -v google-chrome-stable || true)}
if [ -z "$chrome" ]; then
    echo "没有找到 Chromium/Chrome（可设置 CHROME）/ no Chromium or Chrome found (set CHROME)" >&2
    exit 3
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh family)" ]; then
    echo "没有中文字体（如 fonts-noto-cjk）/ no Chinese font installed (e.g. fonts-noto-cjk)" >&2
    exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
db="$work/demo.db"
"$cbtool" --db "$db" init --sample >/dev/null
"$cbtool" --db "$db" roster --format html --out "$work/roster.html" >/dev/null
# The sample's logs are of the twelve months before today: made early in a year, the
# picture has few rows.
"$cbtool" --db "$db" ledger --point A01 --period this-year --format html \
    --out "$work/ledger.html" >/dev/null

shoot() {  # html, width x height (px), picture
    "$chrome" --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions \
        --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$work/profile" \
        --run-all-compositor-stages-before-draw --virtual-time-budget=5000 \
        --window-size="$2" --screenshot="$3" "file://$1" >/dev/null 2>&1
    echo "$3"
}
shoot "$work/roster.html" 1123,794 "$docs/花名册.png"           # A4 landscape
shoot "$work/ledger.html" 794,1123 "$docs/服务点工作台账.png"   # A4 portrait
