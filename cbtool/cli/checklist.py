"""cbtool checklist …: thin commands over cbtool.checklist."""

import sys
from typing import Annotated, Any

import typer

from cbtool.checklist import PROBLEMS
from cbtool.cli.common import FormatOpt, YesOpt, confirm, labeler, say, session, state
from cbtool.cli.output import Col, Fmt, console, emit, render_md, use_color, write_machine
from cbtool.text import shown
from cbtool.vocab import check_mark, haves, mark_legend

app = typer.Typer(help="五有阵地检查：记录、矩阵、历史、作废、缺项。",
                  no_args_is_help=True)

POINT_COLS = [Col("point", "编号", "Point"), Col("name", "名称", "Name")]
HISTORY_COLS = [
    Col("id", "编号", "ID"),
    Col("date", "检查日期", "Date"), Col("item", "检查项目", "Item", "item"),
    Col("ok", "结果", "Result", "bool"), Col("inspector", "检查人", "Inspector"),
    Col("note", "备注", "Note"), Col("voided_label", "作废", "Voided"),
]
GAP_KEYS = ["point", "name", "item", "problem", "date", "days"]
GAP_POINT_COLS = [
    Col("point", "编号", "Point"), Col("name", "名称", "Name"),
    Col("missing", "缺（检查日期）", "Missing (checked on)"),
    Col("never_checked", "从未检查", "Never checked"),
    Col("stale", "检查过期（距今）", "Stale (days ago)"),
]
MARK_STYLE = {True: "green", False: "bold red", None: "dim"}

def item_heading(key: str, vocab: Any, lang: str) -> str:
    """A narrow matrix heading: 场所 制度 园地 电教 台帐 (or the label without 有) / English."""
    from cbtool.vocab import SHORT_ITEM_LABELS

    if lang == "en":
        return vocab.label(key, "en")
    label = vocab.label(key, "zh")
    short = SHORT_ITEM_LABELS.get(key)
    if short and short in label:
        return short
    return label[1:] if label.startswith("有") and len(label) > 2 else label


def mark(status: dict[str, Any]) -> str:
    """A matrix cell: ✓ 2026-11-20, ✗ 2026-11-20, or · (never checked): ``vocab.check_mark``."""
    return check_mark(status["ok"], status["date"], bool(status.get("stale")))


@app.command("record")
def record(
    ctx: typer.Context,
    point: Annotated[str, typer.Argument(help="服务点编号或名称")],
    ok: Annotated[list[str] | None, typer.Option(
        "--ok", metavar="ITEMS",
        help="具备的项目，如 场所、制度 或 venue,rules；all 表示 --missing 以外的全部项目")] = None,
    missing: Annotated[list[str] | None, typer.Option(
        "--missing", metavar="ITEMS", help="缺少的项目，如 电教设备 或 av")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE",
                                           help="检查日期（默认今天）")] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="NAME",
                                           help="检查人（默认操作人）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
) -> None:
    """记录一次检查：--ok 或 --missing 中每个项目各记一条带日期的检查。同一服务点同一项目同一天再检查，替换当天那条（记入审计）。"""
    from cbtool import checklist

    with session(ctx, write=True) as store:
        checks = checklist.record(store, point, ok, missing, on=on, by=by, note=note)
        vocab = store.config.items()
    st = state(ctx)
    sep = "、" if st.lang == "zh" else ", "
    found = sep.join(item_heading(c["item"], vocab, st.lang) for c in checks if c["ok"])
    lacking = sep.join(item_heading(c["item"], vocab, st.lang) for c in checks if not c["ok"])
    parts = [st.t(f"具备 {found}", f"in place: {found}")] if found else []
    parts += [st.t(f"缺 {lacking}", f"missing: {lacking}")] if lacking else []
    say(ctx, "已记录 {point} {date} 的检查：{parts}", "recorded the check of {point} on {date}: "
        "{parts}", point=checks[0]["point"], date=checks[0]["date"],
        parts=st.t("；", "; ").join(parts))
    replaced = sum(c["result"] == "replaced" for c in checks)
    unchanged = sum(c["result"] == "unchanged" for c in checks)
    if replaced:
        say(ctx, "其中 {n} 项替换了当天的原记录", "{n} replaced the check already recorded that day",
            n=replaced)
    if unchanged:
        say(ctx, "其中 {n} 项与当天的原记录相同，未改动", "{n} already recorded that day, unchanged",
            n=unchanged)


@app.command("show")
def show(
    ctx: typer.Context,
    point: Annotated[str | None, typer.Option("--point", metavar="CODE",
                                              help="只看一个服务点（编号或名称）")] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """五有矩阵：每个在用服务点（服务中心在前）× 每个项目，✓ / ✗ / ·（从未检查）及检查日期；检查早于 checklist.stale_days 的 ✓ 标为 ✓*（已过期，附图例）；另有达标情况一行。"""
    from cbtool import checklist

    st = state(ctx)
    with session(ctx) as store:
        rows = checklist.matrix(store, point=point)
        vocab = store.config.items()
        stale_days = store.config.stale_days
        today = store.today
    keys = list(vocab.keys)
    if fmt in (Fmt.csv, Fmt.tsv):  # the columns as they were: ok and date per item
        flat = ({"point": r["point"], "name": r["name"],
                 **{f"{k}_{part}": r[k][part] for k in keys for part in ("ok", "date")},
                 "compliant": r["compliant"]} for r in rows)
        write_machine(fmt, flat, sys.stdout)
        return
    if fmt in (Fmt.json, Fmt.jsonl):
        # the shape scripts rely on: {"ok", "date"} per item (stale points: checklist gaps)
        write_machine(fmt, rows, sys.stdout, keys=["point", "name", *keys, "compliant"])
        return
    rows = checklist.mark_stale(rows, keys, stale_days, today)
    cols = POINT_COLS + [Col(k, item_heading(k, vocab, "zh"), item_heading(k, vocab, "en"))
                         for k in keys]
    figures = checklist.compliance(rows)
    n, done = figures["points"], figures["compliant"]
    pct = f"{figures['rate'] * 100:.1f}%"
    line = st.t(f"{haves(len(keys), 'zh')}全部具备：{done}/{n} 个服务点（{pct}）",
                f"all {haves(len(keys), 'en')} in place: {done} of {n} points ({pct})")
    # the legend when a mark needs explaining: a ✓ gone stale (✓ ✗ · explain themselves)
    any_stale = any(r[k]["stale"] for r in rows for k in keys)
    legend = mark_legend(st.lang, stale_days) if any_stale else ""
    if fmt is Fmt.md:
        render_md([[r["point"], r["name"], *(mark(r[k]) for k in keys)] for r in rows], cols,
                  lang=st.lang, caption_lines=[legend, line] if legend else [line])
        return
    render_matrix(rows, keys, cols, lang=st.lang, caption=line, legend=legend)


def render_matrix(rows: list[dict[str, Any]], keys: list[str], cols: list[Col], *, lang: str,
                  caption: str, legend: str = "") -> None:
    """The matrix as a rich table like ``render_table``'s; on a terminal ✓ ✗ · are coloured,
    and where one line per point is too wide the date goes under its mark, so a date or a
    code is never cut in two (names fold instead)."""
    from cbtool.cli.plaintable import cell_width, plain_width, write_table

    widths = [max([cell_width(c.heading(lang))] + [cell_width(str(r[c.key])) for r in rows])
              if c.key in ("point", "name") else max(cell_width(c.heading(lang)), 12)
              for c in cols]
    if not use_color():  # no box, no colour: as render_table, the common layout needs no rich
        stacked = sum(widths) + 3 * (len(cols) - 1) > plain_width()
        if not stacked and write_table(
                sys.stdout, [shown(c.heading(lang)) for c in cols],
                [[shown(r["point"]), shown(r["name"]), *(mark(r[k]) for k in keys)]
                 for r in rows], width=plain_width(),
                caption_lines=[shown(line) for line in (legend, caption) if line]):
            return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()
    fancy = con.is_terminal and not con.no_color
    stacked = sum(widths) + 3 * (len(cols) - 1) > con.width
    table = Table(box=box.SIMPLE_HEAD if fancy else None, show_edge=False,
                  header_style="bold" if fancy else "", pad_edge=False)
    for col in cols:
        table.add_column(shown(col.heading(lang)), overflow="fold", no_wrap=col.key != "name")
    for r in rows:
        cells = [Text(mark(r[k]).replace(" ", "\n" if stacked else " "),
                      style=_style(r[k]) if fancy else "") for k in keys]
        table.add_row(Text(shown(r["point"])), Text(shown(r["name"])), *cells)
    con.print(table)
    if legend:
        con.print(Text(shown(legend), style="dim" if fancy else ""))
    con.print(Text(shown(caption)))


def _style(status: dict[str, Any]) -> str:
    return "yellow" if status.get("stale") else MARK_STYLE[status["ok"]]


@app.command("history")
def history(
    ctx: typer.Context,
    point: Annotated[str, typer.Argument(help="服务点编号或名称")],
    fmt: FormatOpt = Fmt.table,
) -> None:
    """一个服务点的全部检查记录，最新的在前。"""
    from cbtool import areas, checklist

    st = state(ctx)
    with session(ctx) as store:
        info = areas.get_point(store, point)
        rows = checklist.history(store, info["code"])
    if fmt in (Fmt.table, Fmt.md):
        for row in rows:
            row["voided_label"] = st.t(f"已作废：{row['void_reason']}",
                                       f"voided: {row['void_reason']}") if row["voided"] else ""
    emit(fmt, rows, cols=HISTORY_COLS, keys=checklist.EXPORT_FIELDS, lang=st.lang,
         label=labeler(ctx), title=f"{info['code']} {info['name']}",
         footer=[st.t(f"共 {len(rows)} 条检查记录", f"{len(rows)} checks")]
         if fmt is Fmt.table else [])


@app.command("void")
def void(
    ctx: typer.Context, id: Annotated[str, typer.Argument(metavar="ID",
                                                          help="检查记录号（checklist history 中显示的）")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="作废原因")],
    yes: YesOpt = False,
) -> None:
    """作废误录的检查记录：保留在历史中，不再计入。"""
    from cbtool import checklist

    st = state(ctx)
    if not confirm(ctx, st.t(f"作废检查记录 #{id.lstrip('#')}？", f"void check #{id.lstrip('#')}?"),
                   yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        check = checklist.void(store, id, reason)
        check["item"] = store.config.items().label(check["item"], st.lang)  # 有制度, not rules
    say(ctx, "已作废检查记录 #{id}（{point} {date} {item}：{void_reason}）",
        "voided check #{id} ({point} {date} {item}: {void_reason})", **check)


@app.command("gaps")
def gaps(
    ctx: typer.Context,
    stale_days: Annotated[int | None, typer.Option(
        "--stale-days", min=1, metavar="N",
        help="超过 N 天的检查算过期（默认取配置 checklist.stale_days，365）")
    ] = None,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """需要处理的缺项：缺少的项目、从未检查的、检查已超过 N 天的；每个服务点一行，列出它的项目，最急的在前（csv/json：每个服务点每个项目一条）。"""
    from cbtool import checklist

    st = state(ctx)
    with session(ctx) as store:
        days = stale_days or store.config.stale_days
        rows = checklist.gaps(store, stale_days=days)
        vocab = store.config.items()
    counts = {p: sum(r["problem"] == p for r in rows) for p in checklist.PROBLEMS}
    if rows:
        footer = st.t(f"需关注 {len(rows)} 项：缺 {counts['missing']}，从未检查 "
                      f"{counts['never_checked']}，超过 {days} 天未检查 {counts['stale']}",
                      f"{len(rows)} to see to: {counts['missing']} missing, "
                      f"{counts['never_checked']} never checked, {counts['stale']} not checked "
                      f"in {days} days")
    else:
        footer = st.t("没有需要关注的问题", "nothing needs attention")
    if fmt not in (Fmt.table, Fmt.md):  # machine formats: one record per point and item
        emit(fmt, rows, cols=GAP_POINT_COLS, keys=GAP_KEYS, lang=st.lang, label=labeler(ctx))
        return
    emit(fmt, by_point(rows, vocab, st.lang), cols=GAP_POINT_COLS, lang=st.lang,
         label=labeler(ctx), footer=[footer] if fmt is Fmt.table else [])


def by_point(rows: list[dict[str, Any]], vocab: Any, lang: str) -> list[dict[str, Any]]:
    """The gaps one line per point, most urgent point first: its missing items (with the
    day found lacking), items never checked, and stale items (with their age in days);
    items of one inspection together (``场所、制度 600天；园地 400天``)."""
    sep = "、" if lang != "en" else ", "
    points: dict[str, dict[str, Any]] = {}
    for gap in rows:
        entry = points.setdefault(gap["point"], {"point": gap["point"], "name": gap["name"],
                                                 **{p: {} for p in PROBLEMS}})
        if gap["problem"] == "missing":
            when = gap["date"]
        elif gap["problem"] == "stale":
            when = f"{gap['days']}天" if lang != "en" else f"{gap['days']}d"
        else:
            when = ""
        entry[gap["problem"]].setdefault(when, []).append(item_heading(gap["item"], vocab, lang))
    between = "；" if lang != "en" else "; "
    return [{**p, **{k: between.join(f"{sep.join(names)} {when}".strip()
                                     for when, names in p[k].items()) for k in PROBLEMS}}
            for p in points.values()]
