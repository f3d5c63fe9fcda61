"""cbtool init and cbtool db info | backup | check | migrate."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, guard, say, session, state
from cbtool.cli.output import Col, Fmt, emit_record

app = typer.Typer(help="数据库维护：信息、备份、检查、升级。", no_args_is_help=True)


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
