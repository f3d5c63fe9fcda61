"""cbtool init and cbtool db info | backup | check | migrate | export | import | restore."""

import os
from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli import common
from cbtool.cli.common import FormatOpt, YesOpt, fail, guard, say, session, state
from cbtool.cli.output import Col, Fmt, emit_record

app = typer.Typer(help="数据库维护：信息、备份、检查、升级、导出、导入、恢复。", no_args_is_help=True)


def init(
    ctx: typer.Context,
    sample: Annotated[bool, typer.Option("--sample", help="同时载入一小套演示数据")] = False,
) -> None:
    """创建数据库（可重复执行）；加 --sample 同时载入演示数据。"""
    with session(ctx, create=True) as store:
        if sample:
            from cbtool.sample_load import load_sample

            with store.transaction():
                tally = load_sample(store)
            say(ctx, "已载入示例数据：{t}", "sample data loaded: {t}", t=tally)
        say(ctx, "数据库已就绪：{p}", "database ready: {p}", p=store.path)


@app.command("info")
def info(ctx: typer.Context, fmt: FormatOpt = Fmt.table) -> None:
    """数据库在哪里、结构版本、各表的行数。"""
    from cbtool import db

    with session(ctx) as store:
        data = db.info(store.db, store.path, read_only=store.read_only)
        fields = [Col(k, k, k) for k in data]
        emit_record(fmt, data, fields=fields, lang=state(ctx).lang, label=lambda s, v: v)


@app.command("backup")
def backup(
    ctx: typer.Context,
    dest: Annotated[str | None, typer.Argument(
        metavar="[DEST]", help="备份文件或目录（已有目录，或以 / 结尾的路径：不存在时创建）；默认放在数据库旁边")] = None,
) -> None:
    """写一份一致的数据库副本（别人正在写入时也安全）。"""
    from cbtool import db

    with session(ctx) as store:
        chosen = db.default_backup_path(store.path)
        if dest and not (Path(dest).is_dir() or dest.endswith(("/", os.sep))):
            written = db.backup_to(store.db, Path(dest))  # the name given: never over anything
        else:  # a name cbtool chose: the next free one if taken
            written = db.backup_beside(store.db, Path(dest) / chosen.name if dest else chosen)
        typer.echo(str(written))


@app.command("check")
def check(ctx: typer.Context) -> None:
    """运行 SQLite 的完整性和外键检查（损坏时退出码 3）。"""
    from cbtool import db

    with session(ctx) as store:
        problems = db.check(store.db)
    with guard(ctx) as st:
        if problems:
            for line in problems[:50]:
                typer.echo(line, err=True)
            raise typer.Exit(3)
        typer.echo(st.t("数据库完好", "database ok"))


@app.command("migrate")
def migrate(ctx: typer.Context) -> None:
    """把旧版数据库升级到最新（先在旁边写一份备份）。"""
    from cbtool import migrations

    with session(ctx) as store:
        applied = migrations.applied(store.db)
        if store.migrated:
            say(ctx, "已应用迁移：{names}", "applied: {names}", names=", ".join(store.migrated))
        say(ctx, "数据库结构版本：{v}（已是最新）", "schema version: {v} (up to date)",
            v=applied[-1] if applied else "-")


@app.command("export")
def export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="写入的目录（仅本人可读；其中以前的导出会被替换）")],
) -> None:
    """把每张表写成 JSON Lines 文件，外加清单（版本、行数、校验和）。"""
    from cbtool import dump

    with session(ctx) as store:
        manifest = dump.export_dump(store.db, directory)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    say(ctx, "已导出 {n} 张表、{rows} 行：{p}", "exported {n} tables, {rows} rows: {p}",
        n=len(manifest["tables"]), rows=rows, p=directory)
    typer.echo(str(directory))


@app.command("import")
def import_(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="cbtool db export 写出的目录")],
) -> None:
    """把导出目录载入同一结构版本的空数据库（一个事务）。"""
    from cbtool import dump

    with session(ctx) as store:
        counts = dump.load_dump(store, directory)
    say(ctx, "已导入 {n} 张表、{rows} 行", "imported {n} tables, {rows} rows",
        n=len(counts), rows=sum(counts.values()))


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="cbtool 数据库的备份文件（如 cbtool db backup 写出的）")],
    yes: YesOpt = False,
) -> None:
    """用备份文件替换数据库（先备份当前数据库）。"""
    from cbtool import restore as restoring

    st = state(ctx)

    def ask(staged: restoring.Staged) -> None:
        if yes:
            return
        if not common.stdin_is_terminal():  # never wait in a script
            raise fail(st.t("恢复会替换整个数据库：请加 --yes 确认，未写入任何内容",
                            "restore replaces the whole database: give --yes to confirm; "
                            "nothing was written"))
        question = st.t(f"用 {file} 替换数据库 {store.path}？",
                        f"replace the database {store.path} with {file}?")
        if not typer.confirm(common.one_line(question), default=False):
            raise fail(st.t("已取消，未写入任何内容", "cancelled; nothing was written"))

    with session(ctx) as store:
        saved, migrated = restoring.restore(store, file, before=ask)
    if migrated:
        say(ctx, "备份文件的结构已升级：{names}", "the backup was upgraded: {names}",
            names=", ".join(migrated))
    say(ctx, "已从 {f} 恢复数据库；原数据库备份在 {b}",
        "restored the database from {f}; the previous one is backed up at {b}", f=file, b=saved)
    typer.echo(str(saved))
