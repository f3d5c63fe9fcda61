"""English help texts, shown with ``--lang en`` (or ``CBTOOL_LANG=en``); the command
modules hold the Chinese ones, the default. (A table, not code: it grows by two lines with
every option, so it is long by nature and kept in one place for translators.)

``COMMANDS``: a command's path below the root ("" is the root itself) -> its help.
``OPTIONS``: the Chinese help of an option or argument, exactly as the module writes it ->
its English (one line serves every command sharing the text).

A new command, option or argument needs its line here: ``tests/test_help_lang.py`` names
each that ``--lang en`` would still show in Chinese.
"""

from __future__ import annotations

from cbtool.cli.batch import WHAT, command_names

COMMANDS: dict[str, str] = {
    "":
        "Party-building records: the members registry, service-point logs and the five-haves checklist of a community Party-building office.",
    "init":
        "Create the database (idempotent); --sample also loads demo data.",
    "sample":
        "Write deterministic synthetic CSVs: areas, members, logs, checks, teams, volunteers, "
        "pairings, aid cases, fund income, aid given, brands (demo, benchmarks).",
    "summary":
        "The dashboard: members, activity and the five-haves for a period (default this month).",
    "report":
        "Write the summary as a file for cron: atomic, owner-only, no prompts or colour.",
    "rollup":
        "Roll up the units' reports: report JSONs of one period made one, every figure summed and rates recomputed, by unit; missing, duplicate and refused reports named.",
    "audit":
        "Show the audit trail, newest first: who changed which record, before → after.",
    "roster":
        "The roster: members by area with counts, for printing (A4) or Excel/WPS.",
    "ledger":
        "A point's work ledger: its logs of the period with totals and its five-haves status; --point all writes one sheet (section) per point.",
    "template":
        "Write a blank template to fill in: the headings import reads; a filled one imports with no edits (cbtool KIND import FILE).",
    "areas":
        "Residential areas; adding one also adds its service point.",
    "areas add":
        "Add an area (e.g. A01) and its service point.",
    "areas list":
        "List the areas with their number of active members.",
    "points":
        "Service points and the community's service centre.",
    "points add":
        "Add a service point, or with --kind centre the community's service centre.",
    "points edit":
        "Change a point: name, address, note, or close it (--inactive) / reopen it.",
    "points list":
        "List the centre and the service points.",
    "points show":
        "Show one point: its record, activity and latest five-haves checks.",
    "members":
        "The members registry: add, list, show, edit, categories, contacts, archive.",
    "members add":
        "Add a member.",
    "members list":
        "List members (active by default), by area and number.",
    "members show":
        "Show a member: the record, category history, contacts and recent participation.",
    "members edit":
        "Change fields of a member (a category change is also recorded in its history).",
    "members recategorize":
        "Move a member to another category (kept in the category history).",
    "members contact":
        "Record that a member was reached (today unless --on); the same member, day and channel again is the same contact.",
    "members contacts":
        "List a member's contacts with their ids, newest first; --remove ID --reason TEXT removes one recorded by mistake (audited with the reason).",
    "members overdue":
        "Mobile members not reached in N days (never reached counts), longest first.",
    "members archive":
        "Archive a member (transferred out, deceased, other); the record is kept.",
    "members restore":
        "Bring an archived member back to the active register.",
    "members renumber":
        "Correct a member's number: history, contacts and participation move with it.",
    "logs":
        "Service-point logs: add, list, show, edit, void.",
    "logs add":
        "Add a log: what happened at which point, when, who took part.",
    "logs list":
        "List logs, newest first, with the totals of logs, residents served and hours.",
    "logs show":
        "Show one log, voided or not.",
    "logs void":
        "Void a log: it is kept and marked (and audited), never deleted.",
    "logs edit":
        "Correct any field of a log (validated as `add` is; audited with before/after).",
    "checklist":
        "The five-haves checklist: record, show, history, void, gaps.",
    "checklist record":
        "Record one inspection: a dated check of each item named in --ok or --missing. The same item of the same point checked again on the same day replaces that day's check (kept in the audit).",
    "checklist show":
        "The matrix: each active point (centre first) × each item, ✓ / ✗ / · (never checked) with the date of the check — ✓* where the check is older than checklist.stale_days (stale, explained by a legend) — and the compliance line.",
    "checklist history":
        "Every check of a point, newest first.",
    "checklist void":
        "Void a check recorded by mistake: kept in the history, no longer counted.",
    "checklist gaps":
        "What needs attention: items missing, never checked, or checked more than N days ago — one line per point with its items, most urgent first (csv/json: one record per point and item).",
    "db":
        "Database maintenance: info, backup, check, migrate, export, import, restore.",
    "db info":
        "Where the database is, its schema version and how many rows each table holds.",
    "db backup":
        "Write a consistent copy of the database (safe while others write).",
    "db check":
        "Run SQLite's integrity and foreign-key checks (exit 3 when damaged).",
    "db migrate":
        "Bring an older database up to date (a backup copy is written beside it first).",
    "imports":
        "Import batches: list them, undo one.",
    "imports undo":
        "Revert one import batch: delete what it inserted, restore what it updated (refused where later changes touched its records).",
    "db export":
        "Write every table as JSON Lines plus a manifest (versions, row counts, checksums).",
    "db import":
        "Load a dump into an empty database of the same schema version, in one transaction.",
    "db restore":
        "Replace the database with a backup file (the current one is backed up first).",
}
for _kind, (_zh, _en) in WHAT.items():  # every noun's import and export (cli/batch.py)
    _one = _en[:-1] if _en.endswith("s") else _en
    _group, _import, _export = command_names(_kind)
    COMMANDS.setdefault(f"{_group} {_import}", f"Import {_en} from a file: validated as a "
                        "whole, then all or nothing (one transaction). Re-importing the same "
                        "file changes nothing.")
    COMMANDS.setdefault(f"{_group} {_export}", f"Export every {_one}; the file imports "
                        "back to the same data." if _one.endswith("record") else
                        f"Export every {_one} record; the file imports back to the same data.")

OPTIONS: dict[str, str] = {
    "数据库文件":
        "database file",
    "配置文件  [环境变量：CBTOOL_CONFIG]":
        "config file  [env var: CBTOOL_CONFIG]",
    "帮助和消息的语言：zh 中文（默认）或 en 英文  [环境变量：CBTOOL_LANG]":
        "language of help and messages: zh Chinese (default) or en English  [env var: CBTOOL_LANG]",
    "操作人姓名，记入审计记录":
        "who is making changes, for the audit",
    "显示版本号并退出":
        "print the version and exit",
    "同时载入一小套演示数据":
        "load a small demo data set",
    "党员人数":
        "number of members",
    "台账条数":
        "number of logs",
    "随机种子：种子相同，文件相同":
        "same seed, same files",
    "输出目录":
        "output directory",
    "数据截止日（默认今天）；种子和日期相同，文件逐字节相同":
        "the day the data ends (default today); the same seed and day give byte-identical files",
    "统计期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | last-month | this-year | last-year":
        "period: 2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | last-month | this-year | last-year",
    "只统计一个居民区":
        "one area only",
    "输出格式：table | csv | tsv | json | jsonl | md":
        "output format: table | csv | tsv | json | jsonl | md",
    "文件格式：md | html | csv | json | xlsx":
        "file format: md | html | csv | json | xlsx",
    "文件、目录（文件名为 cbtool-report-<期间>.<扩展名>），或 - 输出到标准输出":
        "file, directory (gets cbtool-report-<period>.<ext>), or - for standard output",
    "各单位的报告 JSON（report --format json），或存放它们的目录（读其中的 *.json）":
        "the units' report JSONs (report --format json), or directories holding them (their *.json are read)",
    "文件、目录（文件名为 cbtool-rollup-<期间>.<扩展名>），或 - 输出到标准输出":
        "file, directory (gets cbtool-rollup-<period>.<ext>), or - for standard output",
    "有文件被拒收时仍汇总其余的（被拒的照样列出）":
        "when files are refused, roll up the rest (the refused are still named)",
    "只看这张表":
        "only this table",
    "只看这条记录（记录键）":
        "only this record key",
    "从这一天起的记录":
        "entries from this day on",
    "只看这一批导入写入的记录（批次见 cbtool imports）":
        "only what this import batch wrote (cbtool imports lists them)",
    "显示的条数":
        "entries shown",
    "显示全部记录":
        "every entry",
    "完整显示电话和身份证号（默认打码）":
        "show phones and ID numbers in full",
    "完整显示困难对象的姓名、住址、电话和身份证号（默认打码）":
        "show the aid recipients' names, addresses, phones and ID numbers in full",
    "完整显示电话、身份证号和困难对象的姓名、住址（默认打码）":
        "show phones, ID numbers and aid recipients' names and addresses in full",
    "文件格式：xlsx | html | md | csv":
        "file format: xlsx | html | md | csv",
    "文件、目录（使用默认文件名），或 - 输出到标准输出（xlsx 除外）":
        "file, directory (gets a default name), or - for standard output (not xlsx)",
    "只列一个居民区（编号或名称）":
        "one area (code or name)",
    "党员类别：离退休/下岗/流动/在职，或 retired|laid-off|mobile|employed":
        "category: retired | laid-off | mobile | employed (the Chinese labels work too)",
    "状态：active 在册 | archived 已归档 | all 全部":
        "status: active | archived | all",
    "年龄不小于 N 岁（按 --as-of 那天计算）":
        "aged N or more (on --as-of)",
    "年龄不大于 N 岁（按 --as-of 那天计算）":
        "aged N or less (on --as-of)",
    "党龄不少于 N 年，从入党时间算起（只有月份的从该月 1 日算）":
        "years in the Party: N or more since joining (a month alone counts from its 1st day)",
    "在 M 月入党（政治生日）":
        "joined the Party in month M (political birthday)",
    "在 M 月出生":
        "born in month M",
    "计算年龄和党龄的日期（默认今天；07-01 或 7月1日 指今年的那一天）":
        "the day ages and years in the Party are counted to (default today; 07-01: that day this year)",
    "服务点（编号或名称），或 all 表示全部":
        "a service point (code or name), or all",
    "期间：2026-11 | 2026年11月 | 2026-Q4 | 2026年第四季度 | 2026 | A..B | this-month …":
        "period: 2026-11 | 2026-Q4 | 2026 | A..B | this-month … (Chinese forms work too)",
    "文件格式：xlsx | html | md":
        "file format: xlsx | html | md",
    "模板的种类：areas | members | logs | checklist | teams | volunteers | pairings | aid | "
    "aid-given | aid-income | brands":
        "what the records are: areas | members | logs | checklist | teams | volunteers | "
        "pairings | aid (cases) | aid-given (aid given) | aid-income (fund income) | brands",
    "输出文件：.xlsx（文本列、下拉列表、填表说明）或 .csv（只有表头行）":
        ".xlsx (text columns, drop-down lists, filling-in notes) or .csv (the header row only)",
    "文件已存在时覆盖":
        "overwrite FILE if it exists",
    "居民区编号，如 A01":
        "area code, e.g. A01",
    "居民区名称":
        "area name",
    "要导入的文件：.csv .tsv .json .jsonl .xlsx，或 - 从标准输入读取":
        "the file: .csv .tsv .json .jsonl .xlsx, or - for standard input",
    "文件格式：csv|tsv|json|jsonl|xlsx（读标准输入时必填，否则按扩展名判断）":
        "csv|tsv|json|jsonl|xlsx (needed for -; else from the extension)",
    "文本编码（默认自动识别 UTF-8 或 GBK/GB18030）":
        "text encoding (default: detected, UTF-8 or GBK/GB18030)",
    "只检查并报告将会改动什么，不写入":
        "validate and report what would change; write nothing",
    "有行被拒时仍写入合格的行":
        "write the valid rows even if some are rejected",
    "表头所在的行号（默认跳过标题和说明行自动查找）":
        "the line the headings are on (default: found below title and notes rows)",
    "要读取的工作表（.xlsx；默认第一张有数据的表）":
        "the worksheet to read (.xlsx; default: the first that holds the data)",
    "不再询问确认":
        "do not ask for confirmation",
    "文件格式：csv|tsv|json|jsonl|xlsx（默认按 --out 的扩展名，否则 csv）":
        "csv|tsv|json|jsonl|xlsx (default: from --out's extension, else csv)",
    "文件或目录（默认输出到标准输出）":
        "file or directory (default: standard output)",
    "csv/tsv 以 UTF-8 BOM 开头（Excel 才能正确显示中文）":
        "start csv/tsv with the UTF-8 BOM (Excel then shows Chinese)",
    "服务点编号":
        "point code",
    "服务点名称":
        "point name",
    "类型：point 服务点 | centre 服务中心":
        "kind: point | centre",
    "服务的居民区（编号或名称）":
        "the area it serves (code or name)",
    "地址":
        "address",
    "备注":
        "note",
    "服务点编号或名称":
        "point code or name",
    "新名称":
        "new name",
    "--inactive 停用（不再出现在五有矩阵、缺项和无活动名单中）/ --active 重新启用":
        "--inactive closes it (it leaves the matrix, gaps and idle list) / --active reopens it",
    "清空地址或备注（可重复）":
        "empty address or note (repeatable)",
    "与 --inactive 一起用：停用日期（默认今天）":
        "with --inactive: the day it closed (default today)",
    "党员编号（按文本保存）":
        "member number (kept as text)",
    "姓名":
        "name",
    "居民区编号或名称":
        "area code or name",
    "性别：男/女 或 M/F":
        "gender: M/F",
    "出生日期（或年月）":
        "date of birth (or month)",
    "18 位居民身份证号":
        "18-character resident ID",
    "手机或带区号的固定电话":
        "mobile or landline with area code",
    "入党时间":
        "date joined the Party",
    "工作单位 / 原工作单位":
        "employer / former employer",
    "流向（流动党员）":
        "whereabouts (mobile members)",
    "外出时间":
        "date left (mobile members)",
    "在编号、姓名、电话、工作单位、流向或备注中查找的文字":
        "text in number, name, phone, employer, whereabouts or note",
    "表格最多显示的行数":
        "rows shown in a table",
    "表格显示全部行":
        "show every row in a table",
    "党员编号或姓名":
        "member number or name",
    "完整经历：登记、修改、类别变更、联系、每次参加活动、归档/恢复":
        "the whole story in one view: entry, edits, category changes, contacts, every participation, archive/restore",
    "清空这个字段（可重复）":
        "empty this field (repeatable)",
    "新类别":
        "the new category",
    "变更日期（默认今天）":
        "day of the change (default today)",
    "变更原因（记入类别变更记录）":
        "why (kept in the category history)",
    "联系日期（默认今天）":
        "day reached (default today)",
    "方式：电话/微信/走访/其他（phone | wechat | visit | other）":
        "channel: phone | wechat | visit | other",
    "现在的流向（同时更新党员信息）":
        "whereabouts now (also updates the member)",
    "没有联系上（仍算超期未联系）":
        "an attempt that did not reach the member (still overdue)",
    "删除这条联系记录（误录时用）":
        "remove this contact (recorded by mistake)",
    "删除原因（记入审计记录）":
        "why it is removed (kept in the audit)",
    "超过多少天未联系（默认取配置 members.contact_overdue_days）":
        "days without contact (default: members.contact_overdue_days)",
    "原因：transferred 转出 | deceased 去世 | other 其他":
        "reason: transferred | deceased | other",
    "归档日期（默认今天）":
        "day archived (default today)",
    "现在的编号（或准确姓名）":
        "the number now (or exact name)",
    "正确的编号（不能已被使用）":
        "the right number (must be free)",
    "服务点编号或准确名称（服务中心也可）":
        "point code or exact name (the centre too)",
    "活动类型（键或名称），如 走访慰问 / visit":
        "kind key or label, e.g. visit",
    "活动内容":
        "what was done (title)",
    "活动日期（默认今天）":
        "date of the activity (default: today)",
    "参加党员：党员编号，用 , ; 、 ， 或空格分隔":
        "members who took part: member numbers separated by commas, semicolons or spaces",
    "服务群众人数（不小于 0 的整数）":
        "residents served (whole number ≥ 0)",
    "志愿服务时长（小时，不小于 0）":
        "volunteer hours (≥ 0)",
    "外部编号（不能重复）":
        "external reference (unique)",
    "这名党员参加过的台账":
        "logs this member took part in",
    "也显示已作废的台账":
        "also show voided logs",
    "台账号（#12 或 12）":
        "log number (#12 or 12)",
    "作废原因":
        "why it is voided",
    "台账号":
        "log id",
    "活动日期":
        "date of the activity",
    "参加党员（完整名单，替换原来的）":
        "members who took part (the whole list; replaces the old one)",
    "服务群众人数（20 或 20人）":
        "residents served (e.g. 20)",
    "志愿服务时长（1.5 或 1.5小时）":
        "volunteer hours (e.g. 1.5)",
    "清空备注、外部编号、参加党员或志愿者（可重复）":
        "empty note, ref, members or volunteers (repeatable)",
    "具备的项目，如 场所、制度 或 venue,rules；all 表示 --missing 以外的全部项目":
        "items found in place, e.g. venue,rules; all = every item not in --missing",
    "缺少的项目，如 电教设备 或 av":
        "items lacking, e.g. av",
    "检查日期（默认今天）":
        "day of the inspection (default today)",
    "检查人（默认操作人）":
        "inspector (default the operator)",
    "只看一个服务点（编号或名称）":
        "one point only (code or name)",
    "检查记录号（checklist history 中显示的）":
        "the check's id, as checklist history shows",
    "超过 N 天的检查算过期（默认取配置 checklist.stale_days，365）":
        "a check older than N days is stale (default: checklist.stale_days, 365)",
    "备份文件或目录（已有目录，或以 / 结尾的路径：不存在时创建）；默认放在数据库旁边":
        "file, or directory (an existing one, or a path ending in /: made if missing); default: beside the database",
    "写入的目录（仅本人可读；其中以前的导出会被替换）":
        "directory to write (made owner-only; a previous dump there is replaced)",
    "cbtool db export 写出的目录":
        "a directory written by cbtool db export",
    "cbtool 数据库的备份文件（如 cbtool db backup 写出的）":
        "a backup of a cbtool database (e.g. from cbtool db backup)",
    "表头与取值：zh 中文（党员编号、离退休、是/否，导入可读回；xlsx 默认） | en 英文键和存储值（csv/tsv 默认）； json/jsonl 始终是英文键":
        "headings and values: zh Chinese headings and labels (import reads them back; default for xlsx) | en English keys and stored values (default for csv/tsv); json/jsonl always have English keys",
    "csv/tsv 按 Excel/WPS 的习惯写：UTF-8 BOM 加 CRLF 换行 （gbk/gb18030 时只有 CRLF）":
        "csv/tsv as Excel/WPS expect: UTF-8 BOM and CRLF line ends (with gbk/gb18030 only CRLF)",
    "csv/tsv 的编码：utf-8（默认） | gbk（有 GBK 无法表示的字符时报错，指明记录和列，什么都不写） | gb18030（能表示所有字符）":
        "csv/tsv encoding: utf-8 (default) | gbk (a character GBK cannot hold is refused, naming record and column; nothing written) | gb18030 (holds every character)",
    "table|json：与 --dry-run 同用时，json 把每条将要变化的记录写到标准输出（table 在标准错误列出前 20 条）":
        "table|json: with --dry-run, json prints every record that would change to standard output (table lists the first 20 on standard error)",
    "表格中显示的批次数（最新的在前）":
        "batches shown in a table (newest first)",
    "批次编号（cbtool imports 列出）":
        "the batch (cbtool imports lists them)",
    "把被拒的行（附行号和原因）写入这个 CSV 文件":
        "write the rejected rows (with line and error) to this CSV",
}

# Volunteer teams, volunteers and their service (cli/teams.py, cli/volunteers.py).
COMMANDS.update({
    "teams":
        "Volunteer teams: add, list, show, edit (close, reopen).",
    "teams add":
        "Add a volunteer team: code, name, field of service, the service point or stationed unit that organises it.",
    "teams list":
        "List volunteer teams (active by default) by code, with their number of volunteers.",
    "teams show":
        "Show a team: its record, service this year (records, hours) and its volunteers.",
    "teams edit":
        "Change a team, or close (--inactive) / reopen it; audited before and after.",
    "volunteers":
        "Volunteers: add, list, show, edit, record service, void, issue service certificates.",
    "volunteers add":
        "Add a volunteer: a resident, or a Party member linked by the member number (one person).",
    "volunteers list":
        "List volunteers (active by default) by number.",
    "volunteers show":
        "Show a volunteer: the record, teams, hours this year and the latest service.",
    "volunteers edit":
        "Change a volunteer (--teams is the whole list of teams), or mark them left / back; audited before and after.",
    "volunteers serve":
        "Record service given without a log (e.g. a night patrol shift); with a log use logs add --volunteers.",
    "volunteers service":
        "List service records (newest first) with their ids, and the totals of records and hours.",
    "volunteers void":
        "Void a service record: kept and marked (audited), never deleted.",
    "service":
        "Volunteer service given without a log: import, export (record, list and void with volunteers serve / service / void).",
    "volunteers certificate":
        "Issue a volunteer service certificate (A4): each service's date, content and hours with the total; its number is kept, so the same period again is the same certificate.",
})
OPTIONS.update({
    "志愿者人数（默认党员人数的 5 倍；约每 60 人一支队伍）":
        "volunteers (default 5 per member; about one team per 60)",
    "服务的志愿者队伍（与 --volunteers 同用）":
        "the volunteer team that served (with --volunteers)",
    "志愿者服务的队伍（与 --volunteers 同用；不给则不变）":
        "the team the volunteers served in (with --volunteers; kept when not given)",
    "参加的志愿者及各自时长（完整名单，替换原来的；台账时长为其合计）":
        "the volunteers and each one's hours (the whole list; replaces the old one; the log's hours are their sum)",
    "参加的志愿者及各自时长，如 V001:2,V002:1.5 或 张三:2、李四:1.5（台账时长为其合计）":
        "the volunteers and each one's hours by number or name, e.g. V001:2,V002:1.5 (the log's hours are their sum)",
    "队伍编号，如 T01":
        "team code, e.g. T01",
    "队伍名称":
        "team name",
    "服务领域：敬老助残、便民服务、环境保护、平安守护、文化体育、理论宣讲、其他（可在配置 [teams.fields] 增加）":
        "field of service: elderly, convenience, environment, safety, culture, theory, other, or the Chinese label (more under [teams.fields] in the config)",
    "组建队伍的服务点（编号或名称）":
        "the service point organising the team (code or name)",
    "组建队伍的驻区单位（名称；与 --point 二选一）":
        "the stationed unit organising the team (its name; instead of --point)",
    "队伍负责人":
        "the team's leader",
    "成立日期":
        "founded on",
    "状态：active 活跃 | closed 已撤销 | all 全部":
        "status: active | closed | all",
    "在编号、名称、驻区单位、负责人或备注中查找的文字":
        "text to find in code, name, unit, leader or note",
    "队伍编号或名称":
        "team code or name",
    "--inactive 撤销队伍（此后不能再记服务）/ --active 恢复":
        "--inactive closes the team (no service after that day) / --active reopens it",
    "与 --inactive 一起用：撤销日期（默认今天）":
        "with --inactive: the day it closed (default today)",
    "清空服务点、驻区单位、负责人、成立日期或备注（可重复）":
        "empty the point, unit, leader, founding day or note (repeatable)",
    "志愿者编号，如 V001":
        "volunteer number, e.g. V001",
    "姓名（党员志愿者可不填，取党员名册）":
        "name (a member volunteer's comes from the members registry)",
    "注册日期（默认今天）":
        "registered on (default today)",
    "是党员的：党员编号（同一人，姓名等取自党员名册）":
        "for a Party member: the member number (one person; name etc. from the registry)",
    "所在队伍：队伍编号，用 , ; 、 ， 或空格分隔（完整名单）":
        "teams: team codes separated by commas, semicolons or spaces (the whole list)",
    "只列这支队伍的志愿者":
        "only this team's volunteers",
    "状态：active 在册 | closed 已退出 | all 全部":
        "status: active | closed (left) | all",
    "--members 只列党员志愿者 / --residents 只列非党员居民":
        "--members only Party members / --residents only residents who are not",
    "在编号、姓名、电话或备注中查找的文字":
        "text to find in number, name, phone or note",
    "志愿者编号或姓名":
        "volunteer number or name",
    "--inactive 退出志愿者队伍（记录保留）/ --active 恢复":
        "--inactive marks the volunteer as left (the record is kept) / --active brings them back",
    "与 --inactive 一起用：退出日期（默认今天）":
        "with --inactive: the day they left (default today)",
    "服务时长：2、1.5、1.5小时、90分钟 或 1小时30分":
        "time served in hours (2, 1.5, 1.5h) or minutes (90min)",
    "服务内容，如 夜间治安巡逻":
        "what was done, e.g. a night patrol",
    "服务日期（默认今天）":
        "day of the service (default today)",
    "为哪支队伍服务（默认志愿者所在的唯一队伍）":
        "the team served for (default the volunteer's only team)",
    "志愿者编号或姓名（不填则列出全部）":
        "volunteer number or name (all when not given)",
    "只列这支队伍的服务":
        "only this team's service",
    "期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | this-year …":
        "period: 2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | this-year …",
    "也显示已作废的记录":
        "also show voided records",
    "志愿服务记录号（#12 或 12）":
        "service record id (#12 or 12)",
    "志愿者编号或姓名（或用 --team 给队伍的每名志愿者各开一份）":
        "volunteer number or name (or --team for one per volunteer of a team)",
    "证明的期间：2026 | 2026-Q4 | 2026-11 | 2026-01-01..2026-06-30 | this-year …":
        "the certificate's period: 2026 | 2026-Q4 | 2026-11 | 2026-01-01..2026-06-30 | this-year …",
    "文件或目录（使用默认文件名），或 - 输出到标准输出（xlsx 除外）":
        "file or directory (default file name), or - for standard output (not xlsx)",
    "文件格式：html | md | xlsx（默认按 --out 的扩展名，否则 html）":
        "file format: html | md | xlsx (default from --out's extension, else html)",
    "给这支队伍的每名在册志愿者各开一份（每人一页）":
        "one for every active volunteer of this team (a page each)",
    "与 --team 同用：队伍的全部在册志愿者（--team 本身即如此）":
        "with --team: every active volunteer of the team (what --team does by itself)",
})

# --- pairings, hardship aid and brands (结对共建、结对帮扶、一居一品) ---------------------------

COMMANDS.update({
    "pairings":
        "Pairings: a service point paired with a unit's Party branch, working under the six headings.",
    "pairings add":
        "Add a pairing: which point, which unit's branch, since when, under which headings.",
    "pairings list":
        "List the pairings (active ones by default) with their number of joint activities.",
    "pairings show":
        "Show a pairing: the partner, its time, headings and joint activities.",
    "pairings end":
        "End a pairing: the record and its joint activities are kept (audited).",
    "pairings edit":
        "Correct a pairing (validated as add; before and after in the audit).",
    "aid":
        "Hardship aid: cases, the members paired with them, the aid given and the funds' ledger.",
    "aid add":
        "Add an aid case (a person or a household): area, kind of hardship, paired members.",
    "aid list":
        "List the aid cases (open ones by default) with their aid and amount; names and phones masked.",
    "aid show":
        "Show an aid case: its record, paired members and every aid given.",
    "aid edit":
        "Correct an aid case (validated as add; before and after in the audit).",
    "aid close":
        "Close a case: no more aid (kept, audited). A laid-off member placed in work: members recategorize to employed.",
    "aid give":
        "Record aid given: its form, amount (yuan) and fund; refused, nothing written, when the fund does not hold it.",
    "aid given":
        "List the aid given (by date) with the number and total amount.",
    "aid void":
        "Void an aid record: kept and marked (audited); its money goes back to the fund's balance.",
    "aid funds":
        "The funds' ledger: each fund's opening balance, income, spending and closing balance (yuan).",
    "aid income":
        "Record money coming into a fund (an allocation, donations).",
    "aid income-list":
        "List a fund's income (by date).",
    "aid income-void":
        "Void a fund's income (not money spent already).",
    "aid fund-add":
        "Add a fund (the street's emergency hardship fund and the Party mutual-aid fund are built in).",
    "brands":
        "Brand projects: one featured Party-work brand per residential area.",
    "brands add":
        "Add an area's brand project: an area has one current brand at a time.",
    "brands list":
        "List each area's brand projects with their number of activities.",
    "brands show":
        "Show a brand project: description, status and latest activities.",
    "brands edit":
        "Change a brand project: name, description, since, status (ended with --status ended), note.",
})

OPTIONS.update({
    "所属结对共建：结对编号或共建单位名称（该服务点的）":
        "the pairing it belongs to: its number, or the partner unit's name (of this point)",
    "服务的共建内容，如 党员教育联搞 / 社区治安（与 --pairing 同用）":
        "the heading it served, e.g. education / security (with --pairing)",
    "所属一居一品：品牌编号、名称，或居民区（它的在用品牌）":
        "the brand project it belongs to: number, name, or an area (its current brand)",
    "服务点编号或准确名称":
        "the point's code or exact name",
    "共建单位（驻区单位、区级机关等）":
        "the partner unit (a stationed unit, a district agency, …)",
    "共建内容：党员教育联搞、思想工作联做、社区治安联防、公益事业联办、贫困对象联帮、文明小区联建（可写简称，用 、 , 分隔；all 为全部六项）":
        "headings: education, ideology, security, welfare, poverty, civility (keys or Chinese names, short forms too, comma-separated; all for all six)",
    "结对的党组织（党支部名称）":
        "the partner's Party organisation (branch name)",
    "对方联系人":
        "the partner's contact person",
    "联系人电话":
        "the contact person's phone",
    "结对开始日期（默认今天；只写年月如 2026年3月 则从当月1日起）":
        "the day the pairing started (default today; a month alone, e.g. 2026-03, starts on its 1st)",
    "约定的结束日期（可以是将来；只写年月则到当月末）":
        "the agreed end (may be in the future; a month alone runs to its last day)",
    "只看含这项共建内容的":
        "only those covering this heading",
    "active 进行中（默认） | ended 已结束 | all 全部":
        "active (default) | ended | all",
    "结对编号（#3 或 3）":
        "the pairing's number (#3 or 3)",
    "结束日期（默认今天）":
        "the day it ends (default today)",
    "结束原因":
        "why it ends",
    "姓名（按户建档时为户主）":
        "name (the head of the household for a household)",
    "居民区（编号或名称）":
        "area (code or name)",
    "困难类型：低保 | 低收入 | 支出型贫困 | 因病 | 失业 | 其他":
        "kind of hardship: subsistence | low-income | expenditure | illness | unemployment | other (or the Chinese names)",
    "按户建档（姓名为户主）":
        "a household (the name is its head)",
    "身份证号（18 位，校验）":
        "ID number (18 characters, checked)",
    "联系电话":
        "phone",
    "住址":
        "address",
    "结对帮扶的党员：党员编号，用 , ; 、 ， 或空格分隔":
        "the members paired with the case: member numbers separated by commas, semicolons or spaces",
    "本人是党员时的党员编号（如下岗党员的就业帮扶）":
        "the member number when the person is a member (a laid-off member's employment help)",
    "建档日期（默认今天）":
        "the day the case was opened (default today)",
    "只看一个居民区":
        "one area only",
    "只看一种困难类型":
        "one kind of hardship only",
    "open 帮扶中（默认） | closed 已结案 | all 全部":
        "open (default) | closed | all",
    "这名党员结对的困难对象":
        "the cases this member is paired with",
    "困难对象编号（#5 或 5）":
        "the case's number (#5 or 5)",
    "结案日期（默认今天）":
        "the day it closes (default today)",
    "结案原因（如 已脱困、已就业、迁出）":
        "why it closes (e.g. out of hardship, placed in work, moved away)",
    "帮扶形式：慰问 | 救助金 | 物资 | 就业帮扶 | 医疗 | 助学":
        "form: visit | grant | goods | employment | medical | schooling (or the Chinese names)",
    "金额（元，最多两位小数，如 500 或 500.50）":
        "amount in yuan, at most two decimals (e.g. 500 or 500.50)",
    "资金：急难帮困（街道急难帮困专项资金） | 互助金（党内互助金） | 其他已添加的资金代码":
        "fund: emergency (the street's emergency hardship fund) | mutual (the Party mutual-aid fund) | the code of a fund added",
    "日期（默认今天）":
        "date (default today)",
    "只看一个困难对象":
        "one case only",
    "帮扶记录号（aid given 中显示的）":
        "the aid record's number, as aid given shows",
    "统计期间（默认本年）：2026 | 2026-Q4 | 2026-11 | this-month | this-year …":
        "period (default this year): 2026 | 2026-Q4 | 2026-11 | this-month | this-year …",
    "来源（如 街道拨款、党员捐款）":
        "source (e.g. the street's allocation, members' donations)",
    "收入记录号（aid income-list 中显示的）":
        "the income record's number, as aid income-list shows",
    "资金代码，如 donation":
        "the fund's code, e.g. donation",
    "资金名称":
        "the fund's name",
    "品牌名称":
        "the brand's name",
    "品牌简介：做什么、怎么做":
        "what the brand is: what it does and how",
    "创建时间（日期或年月，如 2025-03）":
        "since (a day or a month, e.g. 2025-03)",
    "状态：培育中 growing | 已成型 established | 已停止 ended":
        "status: growing | established | ended (or the Chinese names)",
    "品牌编号、名称，或居民区（它的在用品牌）":
        "the brand's number or name, or an area (its current brand)",
    "清空简介、创建时间或备注（可重复）":
        "empty the description, since or note (repeatable)",
    "只看这个结对共建的共建活动（结对编号）":
        "only this pairing's joint activities (its number)",
    "只看这个一居一品的活动（品牌编号、名称或居民区）":
        "only this brand project's activities (number, name or area)",
    "共建内容（完整名单，替换原来的）":
        "headings (the whole list, replacing the old one)",
    "结对开始日期（只写年月如 2026年3月 则从当月1日起）":
        "the day the pairing started (a month alone, e.g. 2026-03, starts on its 1st)",
    "清空党组织、联系人、电话、结束日期或备注（可重复）":
        "empty the branch, contact, phone, end or note (repeatable)",
    "--household 按户建档 / --person 个人":
        "--household a household / --person one person",
    "结对党员（完整名单，替换原来的）":
        "paired members (the whole list, replacing the old one)",
    "建档日期":
        "the day the case was opened",
    "清空身份证号、电话、住址、本人党员编号、结对党员或备注（可重复）":
        "empty the ID number, phone, address, member link, paired members or note (repeatable)",
})
