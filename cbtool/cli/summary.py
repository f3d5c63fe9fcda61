"""cbtool summary (the dashboard) and cbtool report (unattended export for cron)."""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, guard, session, state, warn
from cbtool.cli.output import Fmt, console, use_color
from cbtool.formats import REPORT

PeriodOpt = Annotated[str, typer.Option(
    "--period", "-p", metavar="P",
    help="统计期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | last-month | this-year | last-year")]
AreaOpt = Annotated[str | None, typer.Option("--area", metavar="CODE", help="只统计一个居民区")]


ReportFmt = StrEnum("ReportFmt", {name: name for name in REPORT})


def _document(ctx: typer.Context, period: str, area: str | None) -> dict:
    from cbtool.fields import parse_period
    from cbtool.summary import build

    with session(ctx) as store:
        span = parse_period(period, today=store.today)
        if span.start > store.today:  # allowed (as of today), but said: nothing to count yet
            from cbtool.summary import FUTURE_PERIOD

            warn(FUTURE_PERIOD.render(state(ctx).lang, label=span.label,
                                      start=span.start.isoformat()))
        return build(store, span, area=area, lang=state(ctx).lang)


def summary(ctx: typer.Context, period: PeriodOpt = "this-month", area: AreaOpt = None,
            fmt: FormatOpt = Fmt.table) -> None:
    """工作概况：某一期间的党员、活动和五有情况（默认本月）。"""
    doc = _document(ctx, period, area)
    lang = state(ctx).lang
    with guard(ctx):
        if fmt in (Fmt.json, Fmt.jsonl):  # jsonl: the document on one line
            sys.stdout.write(_json(doc, indent=2 if fmt is Fmt.json else None))
        elif fmt is Fmt.md:
            from cbtool.report import render_md

            sys.stdout.write(render_md(doc, lang))
        elif fmt in (Fmt.csv, Fmt.tsv):
            _sections_delimited(doc, lang, "\t" if fmt is Fmt.tsv else ",")
        else:
            _dashboard(doc, lang)


def _json(doc: dict, indent: int | None = 2) -> str:
    """The document as JSON text (json imported here: the dashboard needs none)."""
    import json

    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


def _dashboard(doc: dict, lang: str) -> None:
    """The dashboard: off a colour terminal (a pipe, a file, cron, NO_COLOR) drawn by
    ``plain_dashboard`` exactly as rich would, without loading rich; else by rich."""
    from cbtool.cli.dashboard import plain_dashboard, render_dashboard

    if not use_color():
        from cbtool.cli.plaintable import plain_width

        text = plain_dashboard(doc, lang, plain_width())
        if text is not None:
            sys.stdout.write(text)
            return
    render_dashboard(doc, lang, console())


def _sections_delimited(doc: dict, lang: str, delimiter: str) -> None:
    """Every section as a block: its title on a line of its own, header, rows, blank line."""
    from cbtool.formats import write_delimited
    from cbtool.report import sections

    for i, section in enumerate(sections(doc, lang)):
        if i:
            sys.stdout.write("\n")
        sys.stdout.write(f"# {section.title}\n")
        records = [dict(zip(section.columns, row, strict=False)) for row in section.rows]
        write_delimited(records, sys.stdout, keys=list(section.columns), delimiter=delimiter)


def report(
    ctx: typer.Context,
    period: PeriodOpt,
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", case_sensitive=False,
                                           help="文件格式：md | html | csv | json | xlsx")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH",
                                      help="文件、目录（文件名为 cbtool-report-<期间>.<扩展名>），或 - 输出到标准输出")],
    area: AreaOpt = None,
) -> None:
    """把工作概况写成文件，供定时任务使用：原子写入、仅本人可读、不询问、无颜色。"""
    from cbtool.report import render_html, render_md, write_report

    if out == "-" and fmt in (ReportFmt.csv, ReportFmt.xlsx):
        raise typer.BadParameter(state(ctx).t("- （标准输出）只用于 md、html 或 json",
                                              "- (standard output) takes md, html or json"),
                                 param_hint="--out")
    doc = _document(ctx, period, area)
    lang = state(ctx).lang
    with guard(ctx):
        if out == "-":  # a pipe or a redirect: the document itself, nothing else
            text = {ReportFmt.md: lambda: render_md(doc, lang),
                    ReportFmt.html: lambda: render_html(doc, lang),
                    ReportFmt.json: lambda: _json(doc),
                    }[fmt]()
            sys.stdout.write(text)
            return
        written = write_report(doc, fmt.value, out, lang)
    typer.echo(str(written))
