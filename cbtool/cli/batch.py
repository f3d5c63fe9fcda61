"""cbtool <areas|members|logs|checklist> import | export: registered on each noun's app.

Thin: options → ``importing.run_import`` and ``exporting.export``; here only the report on
stderr, the progress bars, the question before writing and the exit code.

Why one module of ~470 lines: the import and export commands of every kind, registered
once for all (one prompt, progress bar, dry-run preview and tally).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cbtool.cli.common import (
    YesOpt,
    confirm,
    one_line,
    session,
    state,
    stdin_is_terminal,
    warn,
)
from cbtool.formats import DATA

if TYPE_CHECKING:
    from cbtool.importing import Plan
    from cbtool.store import Store

SHOWN = 200  # problems and warnings printed; --errors FILE has every rejected row
PREVIEW = 20  # records a dry run lists (--format json: all of them)
PROGRESS_ROWS = 5000  # a bar for files longer than this, on a terminal only
PROGRESS_BYTES = 1 << 20  # xlsx / json files this big (rows unknown before parsing)
WHAT = {"areas": ("居民区", "areas"), "members": ("党员", "members"),
        "logs": ("服务点台账", "logs"), "checklist": ("五有检查记录", "checks"),
        "points": ("服务点", "points"), "teams": ("志愿者队伍", "volunteer teams"),
        "volunteers": ("志愿者", "volunteers"),
        "service": ("志愿服务记录（不附台账的）", "service records"),
        "pairings": ("结对共建", "pairings"), "aid": ("困难对象", "aid cases"),
        "aid-given": ("帮扶记录", "aid given records"),
        "aid-income": ("资金收入", "fund income records"),
        "brands": ("一居一品", "brand projects")}


def command_names(kind: str) -> tuple[str, str, str]:
    """(group, import command, export command) of a kind: ``members import`` …, and for
    the kinds that share a group (``cli.MORE_BATCH``) ``aid given-import`` …"""
    from cbtool.cli import MORE_BATCH

    for group, kinds in MORE_BATCH.items():
        if kind in kinds:
            prefix = kinds[kind]
            return group, f"{prefix}-import", f"{prefix}-export"
    return kind, "import", "export"


InputFmt = StrEnum("InputFmt", {name: name for name in DATA})
ExportFmt = StrEnum("ExportFmt", {name: name for name in DATA})


class Headings(StrEnum):
    zh = "zh"
    en = "en"


class ExportEncoding(StrEnum):
    utf_8 = "utf-8"
    gbk = "gbk"
    gb18030 = "gb18030"


class ReportFmt(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer, kind: str) -> None:
    """Add the ``import`` and ``export`` commands for ``kind`` to a noun's sub-app (named
    as ``command_names`` says)."""
    zh = WHAT[kind][0]
    _group, import_name, export_name = command_names(kind)

    def import_(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(
            metavar="FILE", help="要导入的文件：.csv .tsv .json .jsonl .xlsx，或 - 从标准输入读取")],
        input_format: Annotated[InputFmt | None, typer.Option(
            "--input-format", case_sensitive=False,
            help="文件格式：csv|tsv|json|jsonl|xlsx（读标准输入时必填，否则按扩展名判断）")] = None,
        encoding: Annotated[str | None, typer.Option(
            "--encoding", help="文本编码（默认自动识别 UTF-8 或 GBK/GB18030）")
        ] = None,
        dry_run: Annotated[bool, typer.Option(
            "--dry-run", help="只检查并报告将会改动什么，不写入")
        ] = False,
        skip_invalid: Annotated[bool, typer.Option(
            "--skip-invalid", help="有行被拒时仍写入合格的行")] = False,
        errors: Annotated[Path | None, typer.Option(
            "--errors", metavar="FILE", help="把被拒的行（附行号和原因）写入这个 CSV 文件")] = None,
        header_row: Annotated[int | None, typer.Option(
            "--header-row", metavar="N", min=1,
            help="表头所在的行号（默认跳过标题和说明行自动查找）")
        ] = None,
        sheet: Annotated[str | None, typer.Option(
            "--sheet", metavar="NAME",
            help="要读取的工作表（.xlsx；默认第一张有数据的表）")
        ] = None,
        yes: YesOpt = False,
        report_fmt: Annotated[ReportFmt, typer.Option(
            "--format", "-f", case_sensitive=False,
            help="table|json：与 --dry-run 同用时，json 把每条将要变化的记录写到标准输出（table 在标准错误列出前 20 条）")
        ] = ReportFmt.table,
    ) -> None:
        st = state(ctx)
        if file == "-" and input_format is None:
            raise typer.BadParameter(st.t("从标准输入（-）读取时须用 --input-format 指定格式",
                                          "standard input (-) needs --input-format"),
                                     param_hint="--input-format")
        if encoding is not None:
            _check_encoding(encoding, st.lang)
        fmt = input_format.value if input_format else _extension_format(file)
        if sheet is not None and fmt not in (None, "xlsx"):
            raise typer.BadParameter(st.t("--sheet 只用于 .xlsx 工作簿",
                                          "--sheet applies to .xlsx workbooks only"),
                                     param_hint="--sheet")
        if header_row is not None and fmt in ("json", "jsonl"):
            raise typer.BadParameter(st.t("--header-row 只用于 csv、tsv 和 xlsx 文件",
                                          "--header-row applies to csv, tsv and xlsx files only"),
                                     param_hint="--header-row")
        run_import(ctx, kind, file, input_format=input_format.value if input_format else None,
                   encoding=encoding, dry_run=dry_run, skip_invalid=skip_invalid,
                   errors=errors, yes=yes, layout=(header_row, sheet), fmt=str(report_fmt))

    import_.__doc__ = (  # English: help_en.COMMANDS, made from WHAT
        f"从文件导入{zh}：先整体校验，再全部写入或全部不写（一个事务）。同一文件再导入不会改变任何数据。")

    def export(
        ctx: typer.Context,
        fmt: Annotated[ExportFmt | None, typer.Option(
            "--format", "-f", case_sensitive=False,
            help="文件格式：csv|tsv|json|jsonl|xlsx（默认按 --out 的扩展名，否则 csv）")
        ] = None,
        out: Annotated[Path | None, typer.Option(
            "--out", "-o", metavar="PATH", help="文件或目录（默认输出到标准输出）")
        ] = None,
        bom: Annotated[bool, typer.Option(
            "--bom", help="csv/tsv 以 UTF-8 BOM 开头（Excel 才能正确显示中文）")
        ] = False,
        headings: Annotated[Headings | None, typer.Option(
            "--headings", case_sensitive=False,
            help="表头与取值：zh 中文（党员编号、离退休、是/否，导入可读回；xlsx 默认） | "
            "en 英文键和存储值（csv/tsv 默认）； json/jsonl 始终是英文键")
        ] = None,
        excel: Annotated[bool, typer.Option(
            "--excel", help="csv/tsv 按 Excel/WPS 的习惯写：UTF-8 BOM 加 CRLF 换行 "
            "（gbk/gb18030 时只有 CRLF）")] = False,
        encoding: Annotated[ExportEncoding, typer.Option(
            "--encoding", case_sensitive=False,
            help="csv/tsv 的编码：utf-8（默认） | gbk（有 GBK 无法表示的字符时报错，"
            "指明记录和列，什么都不写） | gb18030（能表示所有字符）")] = ExportEncoding.utf_8,
    ) -> None:
        run_export(ctx, kind, fmt.value if fmt else None, out, bom,
                   layout=(headings.value if headings else None, excel, encoding.value))

    export.__doc__ = f"导出全部{zh}；导出的文件可原样导回，得到相同的数据。"

    app.command(import_name)(import_)
    app.command(export_name)(export)


# --- import ---------------------------------------------------------------------------


def _check_encoding(name: str, lang: str = "zh") -> None:
    """An unknown ``--encoding`` is wrong usage (exit 2), found before the database."""
    from cbtool.errors import InvalidInput
    from cbtool.textlines import encoding_info

    try:
        encoding_info(name)
    except InvalidInput as exc:
        raise typer.BadParameter(exc.message(lang), param_hint="--encoding") from None


def _extension_format(file: str) -> str | None:
    """The format of ``file`` by its extension, None if it does not say."""
    from cbtool.formats import format_of

    return None if file == "-" else format_of(file)


def run_import(ctx: typer.Context, kind: str, file: str, *, input_format: str | None,
               encoding: str | None, dry_run: bool, skip_invalid: bool, errors: Path | None,
               yes: bool, layout: tuple[int | None, str | None] = (None, None),
               fmt: str = "table") -> None:
    from cbtool.errors import InvalidInput

    st = state(ctx)
    with session(ctx) as store:
        try:
            _run_import(ctx, store, kind, file, input_format=input_format, encoding=encoding,
                        dry_run=dry_run, skip_invalid=skip_invalid, errors=errors, yes=yes,
                        layout=layout, fmt=fmt)
        except InvalidInput as exc:  # the file as a whole: its reason, then the tally
            from cbtool.importing import tally

            warn(one_line(exc.message(st.lang)))
            warn(tally(0, 0, 0, exc.rows))
            raise typer.Exit(exc.exit_code) from None


def _run_import(ctx: typer.Context, store: Store, kind: str, file: str, *,
                input_format: str | None, encoding: str | None, dry_run: bool,
                skip_invalid: bool, errors: Path | None, yes: bool,
                layout: tuple[int | None, str | None] = (None, None),
                fmt: str = "table") -> None:
    st = state(ctx)
    preview = (None if fmt == "json" else PREVIEW) if dry_run else 0
    errors_to = (errors, st.lang, layout, preview)
    interactive = (not yes and not dry_run and file != "-" and stdin_is_terminal())
    if interactive:  # the file is checked once; asked; written as checked
        asked: list[Plan] = []

        def ask(plan: Plan) -> bool:
            asked.append(plan)
            _report(st.lang, plan, written=False)
            what = WHAT[kind][0 if st.lang != "en" else 1]
            return confirm(ctx, st.t(
                f"导入{what}：新增 {plan.inserted}，更新 {plan.updated}，确定写入？",
                f"import {what}: insert {plan.inserted}, update {plan.updated}. Write?"), yes)

        plan = _attempt(store, kind, file, input_format, encoding, errors_to, write=True,
                        skip_invalid=skip_invalid, confirm=ask)
        if plan.cancelled:  # (confirm said so)
            raise typer.Exit(1)
        if not asked or (plan is not asked[0] and plan.rejected and not skip_invalid):
            _report(st.lang, plan, written=plan.applied)  # nothing asked, or re-checked
        _finish(st.lang, plan, written=plan.applied or not plan.changes,
                skipping=skip_invalid)
    plan = _attempt(store, kind, file, input_format, encoding, errors_to,
                    write=not dry_run, skip_invalid=skip_invalid)
    _report(st.lang, plan, written=plan.applied)
    if dry_run:
        _preview(st.lang, plan, fmt)
        warn(st.t("（试运行：以上为将要发生的变化，未写入任何内容）",
                  "(dry run: what would change; nothing was written)"))
    _finish(st.lang, plan, written=plan.applied, would=dry_run, skipping=skip_invalid)


def _preview(lang: str, plan: Plan, fmt: str) -> None:
    """What a dry run would change: every record as JSON on stdout, or the first
    ``PREVIEW`` on stderr and how many more."""
    if fmt == "json":
        import json

        body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in plan.preview)
        sys.stdout.write(f"[\n{body}\n]\n" if body else "[]\n")
        return
    from cbtool.audit import PERSONAL_TABLES, value_shower
    from cbtool.text import field_label

    kind = plan.importer.kind
    masked = {"phone", "id_card"}
    if plan.importer.table in PERSONAL_TABLES:  # as `aid list` / `show` mask them
        masked |= {"name", "address"}
    # The values as people read them (党员类别=离退休), masked as the audit masks them.
    shown = value_shower(plan.importer.store, plan.importer.table, lang)

    def key_text(item: dict, parts: list[tuple[str, str]]) -> str:
        """The record's key in the user's words (救助金 街道急难帮困专项资金, not grant
        emergency); English keeps the key as JSON has it, but masked."""
        if lang == "en" and not any(name in masked for name, _ in parts):
            return item["key"]
        words = []
        for name, text in parts:
            if name == "occurrence":  # the n-th of like records: said from the second on
                if text != "1":
                    words.append(f"({text})" if lang == "en" else f"（第 {text} 条）")
            elif text != "":
                words.append(str(shown(name, text)))
        return " ".join(words)

    for item, key_parts in zip(plan.preview, plan.preview_keys, strict=True):
        parts = []
        for name, (before, after) in item["changes"].items():
            before, after = shown(name, before), shown(name, after)
            if lang != "en":  # a list as people write it: 0001、0002
                before, after = ("、".join(map(str, v)) if isinstance(v, list) else v
                                 for v in (before, after))
            label = field_label(name, lang, kind)
            if item["action"] == "insert":
                parts.append(f"{label}={after}")
            else:
                parts.append(f"{label}: {'∅' if before is None else before} → "
                             f"{'∅' if after is None else after}")
        what = {"insert": ("新增", "insert"), "update": ("更新", "update")}[item["action"]]
        what = what[1] if lang == "en" else what[0]
        warn(one_line(f"{_where(lang, plan, item['line'])}: {what} {key_text(item, key_parts)} "
                      f"({'; '.join(parts)})"))
    more = plan.preview_count - len(plan.preview)
    if more > 0:
        warn(f"… and {more} more records would change (--format json lists all)"
             if lang == "en" else f"…… 另有 {more} 条记录将会变化（--format json 可列出全部）")


def _attempt(store: Store, kind: str, file: str, input_format: str | None,
             encoding: str | None, errors: tuple[Path | None, str, tuple, int | None], *,
             write: bool, skip_invalid: bool = False,
             confirm: Callable[[Plan], bool] | None = None) -> Plan:
    """``importing.run_import`` with this command's options and progress bars.
    ``errors``: (the --errors file or None, the language, (--header-row, --sheet), the
    records of a dry run's preview: None all, 0 none)."""
    from cbtool import importing

    header_row, sheet = errors[2]
    request = importing.ImportRequest(
        kind=kind, file=file, input_format=input_format, encoding=encoding,
        header_row=header_row, sheet=sheet, write=write, skip_invalid=skip_invalid,
        errors=errors[0], lang=errors[1], preview=errors[3])

    def checking(source):
        return _progress(_rows_hint(file, source.format), "检查 / checking")

    def writing(plan: Plan):
        # New rows go in with one statement: the bar only pulses (rows are counted on
        # updates).
        total = plan.inserted + plan.updated
        return _progress(-1 if total >= PROGRESS_ROWS else None, "写入 / writing")

    hooks = importing.ImportHooks(checking=checking, writing=writing, confirm=confirm)
    return importing.run_import(store, request, hooks)


def _where(lang: str, plan: Plan, line: int) -> str:
    if plan.format == "json":
        return f"record {line}" if lang == "en" else f"第 {line} 条记录"
    if plan.sheet is not None:  # every message about a sheet names it
        return (f"sheet '{plan.sheet}' line {line}" if lang == "en"
                else f"工作表“{plan.sheet}”第 {line} 行")
    return f"line {line}" if lang == "en" else f"第 {line} 行"


def _report(lang: str, plan: Plan, *, written: bool = True) -> None:
    """Notes, unknown columns, warnings and problems; a warning of a plan not written says
    what would be saved, never that it was."""
    from cbtool.person import UNSAVED

    for msg, params in plan.notes:  # the sheet read, the rows that are not data
        warn(one_line(msg.render(lang, **params)))
    if plan.unknown:
        names = ", ".join(plan.unknown)
        warn(one_line(f"{plan.source}: unknown columns, ignored: {names}" if lang == "en"
                    else f"{plan.source}：未识别的列（已忽略）：{names}"))
    for w in plan.warnings[:SHOWN]:
        text = w.message(lang) if written else UNSAVED.get(w.msg, w.msg).render(lang, **w.params)
        warn(one_line(f"{_where(lang, plan, w.line)}: {text}"))
    if plan.warning_count > SHOWN:
        more = plan.warning_count - SHOWN
        warn(f"… and {more} more warnings" if lang == "en" else f"…… 另有 {more} 条提醒")
    for p in plan.problems[:SHOWN]:
        column = f" [{p.column}]" if p.column else ""
        warn(one_line(f"{_where(lang, plan, p.line)}{column}: {p.reason(lang)}"))
    if plan.problem_count > SHOWN:
        more = plan.problem_count - SHOWN
        warn(f"… and {more} more (--errors FILE lists every rejected row)" if lang == "en"
             else f"…… 另有 {more} 个问题（--errors FILE 可导出全部不合格的行）")


def _finish(lang: str, plan: Plan, *, written: bool, skipping: bool = False,
            would: bool = False) -> None:
    """The last line, and the exit code: 1 when rows were rejected (unless skipped).
    ``would`` (a dry run): the tally says what would be written."""
    blocked = plan.rejected and not skipping
    if blocked and would:
        warn(f"rows rejected: {plan.rejected}; an import would write nothing (fix them, or "
             "use --skip-invalid to import the valid rows)" if lang == "en" else
             f"{plan.rejected} 行不合格，导入时不会写入任何内容（改正后重新导入，或用 "
             "--skip-invalid 只导入合格的行）")
    elif blocked:
        warn(f"rows rejected: {plan.rejected}; nothing was written (fix them, or use "
             "--skip-invalid to import the valid rows)" if lang == "en" else
             f"{plan.rejected} 行不合格，未写入任何内容（改正后重新导入，或用 --skip-invalid "
             "只导入合格的行）")
    warn(plan.tally(written=written and not blocked, would=would))
    raise typer.Exit(1 if blocked else 0)


def _rows_hint(file: str, fmt: str) -> int | None:
    """Roughly how many rows, to size a bar: -1 for "big, size unknown"; None: no bar."""
    if file == "-" or not sys.stderr.isatty():
        return None
    try:
        size = os.path.getsize(file)
    except OSError:
        return None
    if fmt in ("xlsx", "json"):
        return -1 if size >= PROGRESS_BYTES else None
    lines = 0
    with open(file, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return lines if lines >= PROGRESS_ROWS else None


@contextlib.contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[int], None] | None]:
    """A transient rich bar on stderr (terminal only); yields the tick callback."""
    if total is None or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cbtool.cli.output import console

    size = None if total < 0 else total
    count = MofNCompleteColumn() if size else TimeElapsedColumn()
    with Progress(TextColumn("{task.description}"), BarColumn(), count,
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=size)

        def tick(done: int) -> None:
            bar.update(task, completed=size if done < 0 and size else max(done, 0))

        yield tick


# --- export ---------------------------------------------------------------------------


def _check_layout(st, fmt: str, bom: bool, headings: str | None, excel: bool,
                  encoding: str) -> None:
    """Options that do not fit the format are wrong usage (exit 2), found before the db."""
    from cbtool.formats import DELIMITED

    if headings == "zh" and fmt in ("json", "jsonl"):
        raise typer.BadParameter(st.t("json/jsonl 始终使用英文键，--headings zh 只用于 csv、tsv、xlsx",
                                      "json/jsonl always carry the English keys; --headings zh "
                                      "is for csv, tsv and xlsx"), param_hint="--headings")
    if fmt not in DELIMITED:
        for given, name in ((excel, "--excel"), (encoding != "utf-8", "--encoding")):
            if given:
                raise typer.BadParameter(st.t(f"{name} 只用于 csv 和 tsv",
                                              f"{name} applies to csv and tsv only"),
                                         param_hint=name)
    if bom and encoding != "utf-8":
        raise typer.BadParameter(st.t(f"BOM 只用于 UTF-8，不能与 --encoding {encoding} 同用",
                                      f"the BOM is UTF-8's; not with --encoding {encoding}"),
                                 param_hint="--bom")


def run_export(ctx: typer.Context, kind: str, fmt: str | None, out: Path | None,
               bom: bool, layout: tuple[str | None, bool, str] = (None, False, "utf-8")
               ) -> None:
    from cbtool import exporting

    st = state(ctx)
    fmt = exporting.format_for(out, fmt)
    headings, excel, encoding = layout
    _check_layout(st, fmt, bom, headings, excel, encoding)
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise typer.BadParameter(st.t("xlsx 是二进制文件，请用 --out 指定文件",
                                      "xlsx is a binary file; give --out PATH"),
                                 param_hint="--format")
    with session(ctx) as store:
        count, path = exporting.export(store, kind, fmt, out, bom=bom, lang=headings,
                                       excel=excel, encoding=encoding)
    if path is not None:
        warn(st.t(f"已导出 {count} 条记录到 {path}", f"exported {count} records to {path}"))
