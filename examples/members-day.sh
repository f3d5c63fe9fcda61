#!/usr/bin/env bash
# A day at the Party-member service centre, as commands.
# Try it on a scratch database:  CBTOOL_DB=/tmp/demo.db bash examples/members-day.sh
set -euo pipefail
export CBTOOL_OPERATOR="${CBTOOL_OPERATOR:-王芳}"

cbtool init
cbtool areas add A01 石化一村居民区 2>/dev/null || true   # already there: fine
cbtool areas add A02 石化二村居民区 2>/dev/null || true

# Morning: a member transferred in registers with the community (报到).
cbtool members add --no 0012345 --name 张伟 --category 在职 --area A01 \
  --gender 男 --born 1985-06-07 --phone 13812345678 --joined 2010年7月1日 \
  --employer 上海石化股份有限公司 2>/dev/null || echo "0012345 already registered"

# A mobile member who works in Suzhou called in: record the contact and where they are.
cbtool members add --no 0012346 --name 李娜 --category 流动 --area 石化二村居民区 \
  --whereabouts 江苏省苏州市 --left 2024-03-01 2>/dev/null || true
cbtool members contact 0012346 --channel 电话 --whereabouts 江苏省苏州市工业园区 --note 近况良好

# Who among the mobile members has not been reached for 90 days?
cbtool members overdue

# A laid-off member found a job through the employment-assistance desk.
cbtool members add --no 0012347 --name 王强 --category 下岗 --area A01 2>/dev/null || true
cbtool members recategorize 0012347 --to 在职 --reason 社区推荐就业 || true

# Fix a phone number; the change is kept in the audit trail.
cbtool members edit 0012345 --phone 13900001111
cbtool audit --table members --key 0012345 --limit 5

# Look people up: by area, by category, by text; JSON for scripts.
cbtool members list --area A01
cbtool members list --category 流动 --format json
cbtool members show 0012346
