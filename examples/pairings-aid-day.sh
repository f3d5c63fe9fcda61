#!/usr/bin/env bash
# A day of pairings (结对共建), hardship aid (结对帮扶) and brands (一居一品), as commands.
# Try it on a scratch database:  CBTOOL_DB=/tmp/demo.db bash examples/pairings-aid-day.sh
set -euo pipefail
export CBTOOL_OPERATOR="${CBTOOL_OPERATOR:-王芳}"

cbtool init
cbtool areas add A01 石化一村居民区 2>/dev/null || true   # already there: fine
cbtool members add --no 0012345 --name 张伟 --category 离退休 --area A01 2>/dev/null || true
cbtool members add --no 0012347 --name 王强 --category 下岗 --area A01 2>/dev/null || true

# The area's point pairs with the district tax bureau's first branch, under two headings.
cbtool pairings add --point A01 --unit 金山区税务局 --branch 第一党支部 --contact 李明 \
  --phone 13812345678 --since 2026-01-01 --headings 党员教育联搞、社区治安联防 2>/dev/null || true
cbtool pairings list

# Its joint activity goes into the ledger, naming the pairing (by the unit) and the heading.
cbtool logs add --point A01 --kind 学习教育 --title 结对共建共上党课 --pairing 金山区税务局 \
  --heading 党员教育 --members 0012345 --served 30

# The area's brand project (一居一品), and an activity under it.
cbtool brands add --area A01 --name 石化红管家 --since 2025-03 \
  --description 楼组党员当好居民的管家 2>/dev/null || true
cbtool logs add --point A01 --kind 志愿服务 --title 红管家楼组议事 --brand A01 --served 12

# The case just added under NAME: the newest open one of that name (the list is by area).
case_of() {
  cbtool aid list --all --format json | python3 -c \
    "import json,sys; print(max(c['id'] for c in json.load(sys.stdin) if c['name'] == sys.argv[1]))" "$1"
}

# A household in hardship, paired with a member; the street's fund receives its allocation.
cbtool aid add --name 赵秀英 --area A01 --kind 低保 --household --helpers 0012345 \
  --phone 13900001111
cbtool aid income --fund 急难帮困 --amount 5000 --source 街道拨款
CASE=$(case_of 赵秀英)
cbtool aid give "$CASE" --form 救助金 --amount 800 --fund 急难帮困 --note 医疗费补助
cbtool aid give "$CASE" --form 慰问 --note 结对党员上门慰问

# Asking for more than the fund holds is refused, and nothing is written (exit 1).
cbtool aid give "$CASE" --form 救助金 --amount 1000000 --fund 急难帮困 || echo "refused, as it should be"

# A laid-off member gets employment help; once placed, the category changes to employed.
cbtool aid add --name 王强 --area A01 --kind 失业 --member 0012347
WANG=$(case_of 王强)
cbtool aid give "$WANG" --form 就业帮扶 --note 推荐公益性岗位
cbtool members recategorize 0012347 --to 在职 --reason 公益性岗位就业 || true
cbtool aid close "$WANG" --reason 已就业

# The funds' ledger, the cases (names and phones masked), and the month's figures.
cbtool aid funds --period this-month
cbtool aid list
cbtool summary
