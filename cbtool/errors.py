"""cbtool's own errors. Each kind carries its exit code (1 rejected, 3 environment).

Domain code raises these; the command line turns them into one line on stderr.
"""

from __future__ import annotations

import errno

from cbtool.text import Msg

# What the operating system said, in the user's language (``os_reason``).
_OS_REASONS = {
    errno.ENOENT: Msg("文件或目录不存在", "no such file or directory"),
    errno.EACCES: Msg("没有权限", "permission denied"),
    errno.EPERM: Msg("不允许的操作", "operation not permitted"),
    errno.EROFS: Msg("文件系统是只读的", "read-only file system"),
    errno.EISDIR: Msg("这是一个目录", "is a directory"),
    errno.ENOTDIR: Msg("路径中有一项不是目录", "a part of the path is not a directory"),
    errno.EEXIST: Msg("已存在", "exists already"),
    errno.ENOSPC: Msg("磁盘已满", "no space left on the device"),
    errno.ENAMETOOLONG: Msg("文件名过长", "file name too long"),
    errno.ELOOP: Msg("符号链接过多", "too many symbolic links"),
    errno.EBUSY: Msg("正被占用", "device or resource busy"),
    errno.EIO: Msg("读写出错（磁盘或网络盘故障？）", "input/output error"),
    errno.EBADF: Msg("已被关闭（如 >&-）", "it is closed (as by >&-)"),
}


def os_reason(exc: OSError) -> Msg:
    """An OSError's reason as a message in both languages (the system's own words, for an
    errno not listed)."""
    known = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    text = exc.strerror or str(exc)
    return Msg(text, text)


class CbError(Exception):
    """Base of every error a user can cause or fix. ``exit_code``: what the process exits with."""

    exit_code = 1

    def __init__(self, msg: Msg, **params: object) -> None:
        self.msg = msg
        self.params = params
        super().__init__(msg.render("en", **params))

    def message(self, lang: str = "zh") -> str:
        return self.msg.render(lang, **self.params)

    def __reduce__(self) -> tuple:
        """Pickled whole (its message, parameters and attributes), whatever the subclass's
        ``__init__`` takes: a forked process hands its problems back this way."""
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[CbError], args: tuple) -> CbError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


class InvalidInput(CbError):
    """The input was rejected (exit 1). ``rows``: for a file rejected as a whole, how many
    of its data rows that covers (as far as the file could be read)."""

    rows = 0


class NotFound(CbError):
    """A record named by the user does not exist (exit 1)."""


class Conflict(CbError):
    """The change conflicts with what is stored, e.g. a duplicate key (exit 1)."""


class EnvError(CbError):
    """Environment problem: config, database file, lock, corruption (exit 3)."""

    exit_code = 3


class FieldError(InvalidInput):
    """A single field's value is invalid; ``field`` names it (used by import reports).
    ``kind``: the kind of record, where it names the field its own way
    (``text.KIND_LABELS``)."""

    kind: str | None = None

    def __init__(self, field: str, msg: Msg, **params: object) -> None:
        self.field = field
        super().__init__(msg, field=field, **params)

    def message(self, lang: str = "zh") -> str:
        from cbtool.text import field_label

        label = field_label(self.field, lang, self.kind)
        return self.msg.render(lang, **{**self.params, "field": label})

    def reason(self, lang: str = "zh") -> str:
        """The message without its leading field name (for reports with a column for it)."""
        template = self.msg.en if lang == "en" else self.msg.zh
        for prefix in ("{field}：", "{field}: "):
            template = template.removeprefix(prefix)
        return Msg(template, template).render(lang, **self.params)
