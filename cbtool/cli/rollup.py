"""cbtool rollup: many offices' report JSONs rolled up into one district document."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import guard, state, warn
from cbtool.cli.summary import PeriodOpt, ReportFmt


def rollup(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(
        metavar="FILE|DIR…", show_default=False,
        help="各单位的报告 JSON（report --format json），或存放它们的目录（读其中的 *.json）")],
    period: PeriodOpt,
    fmt: Annotated[ReportFmt, typer.Option("--format", "-f", case_sensitive=False,
                                           help="文件格式：md | html | csv | json | xlsx")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="PATH",
                                      help="文件、目录（文件名为 cbtool-rollup-<期间>.<扩展名>），或 - 输出到标准输出")],
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="有文件被拒收时仍汇总其余的（被拒的照样列出）")] = False,
) -> None:
    """汇总各单位的报告：同一期间的报告 JSON 合成一份，各项数字求和、比率重算，并按单位列表；缺报、重复、拒收的都列出。"""
    from cbtool import clock
    from cbtool.fields import parse_period
    from cbtool.report.rollup import ROLLUP_VIEW
    from cbtool.report.writer import json_text, safe_label, write_report
    from cbtool.rollup import collector_paused, failure, roll_up

    if out == "-" and fmt in (ReportFmt.csv, ReportFmt.xlsx):
        raise typer.BadParameter(state(ctx).t("- （标准输出）只用于 md、html 或 json",
                                              "- (standard output) takes md, html or json"),
                                 param_hint="--out")
    with guard(ctx) as st, collector_paused():
        config, lang = st.config(), st.lang
        wanted = parse_period(period, today=clock.today())
        # a rerun into a directory it reads never rolls up its own last output
        own = [out, Path(out) / f"{ROLLUP_VIEW.prefix}-{safe_label(wanted.label)}.json"]
        result = roll_up(paths, wanted, config, skip_invalid=skip_invalid,
                         exclude=own if out != "-" else (), lang=lang)
        for refused in result.refused:
            warn(refused.message(lang))
        for msg, params in result.notes:
            warn(msg.render(lang, **params))
        error = failure(result)
        if error is not None:
            warn(error.message(lang))
            warn(result.tally(lang))
            raise typer.Exit(error.exit_code)
        doc = result.doc
        if out == "-":
            text = {ReportFmt.md: lambda: ROLLUP_VIEW.md(doc, lang),
                    ReportFmt.html: lambda: ROLLUP_VIEW.html(doc, lang),
                    ReportFmt.json: lambda: json_text(doc),
                    }[fmt]()
            sys.stdout.write(text)
        else:
            typer.echo(str(write_report(doc, fmt.value, out, lang, view=ROLLUP_VIEW)))
        warn(result.tally(lang))
