"""Reading a text file in blocks: its encoding told apart (UTF-8, GBK/GB18030, a BOM's
UTF-16) and its physical lines handed out in one linear pass, with bounds on a line's
length so a broken or hostile file ends in one clear error."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

from cbtool.errors import InvalidInput
from cbtool.text import Msg

LOOKS_EXCEL = Msg(
    "{file}：这是 Excel 文件而不是文本文件，请用 .xlsx 扩展名或 {opt_input_format} xlsx",
    "{file}: this is an Excel file, not text; name it .xlsx or give {opt_input_format} xlsx",
)
BAD_ENCODING = Msg("未知的编码“{encoding}”", "unknown encoding '{encoding}'")
UNKNOWN_ENCODING = Msg(
    "{file}：无法判断编码（不是 UTF-8 或 GBK/GB18030），请用 {opt_encoding} 指定",
    "{file}: cannot tell the encoding (not UTF-8 or GBK/GB18030); give {opt_encoding}",
)
DECODE_ERROR = Msg(
    "{file} 第 {line} 行：无法按 {encoding} 解码，请用 {opt_encoding} 指定正确的编码",
    "{file} line {line}: cannot be decoded as {encoding}; give the right {opt_encoding}",
)
NO_BOM = Msg(
    "{file}：文件开头没有字节顺序标记（BOM），无法确定 {encoding} 的字节顺序；"
    "请用 {opt_encoding} {encoding}-le 或 {encoding}-be",
    "{file}: no byte-order mark at the start, so the byte order of {encoding} is unknown; "
    "give {opt_encoding} {encoding}-le or {encoding}-be",
)
LINE_TOO_LONG = Msg(
    "{file} 第 {line} 行：行过长（超过 {limit} 个字符），不像是表格文件",
    "{file} line {line}: the line is too long (over {limit} characters); not a table file",
)

CHUNK = 64 * 1024
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_GB = {"gbk", "gb2312"}  # (canonical codec names) decoded with their superset gb18030
# Codecs that take the byte order from a BOM: without one the order is a guess.
_BOM_ORDER = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
              "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}
MAX_LINE = 1024 * 1024


def read_full(raw: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size and (part := raw.read(size - len(data))):
        data += part
    return data


def encoding_info(name: str) -> codecs.CodecInfo:
    """The text codec called ``name`` (``gbk``, ``GB18030``, ``utf-8-sig``, …); a binary
    codec (``zlib``) or an unknown name is an ``InvalidInput``."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InvalidInput(BAD_ENCODING, encoding=name) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(BAD_ENCODING, encoding=name)
    return info


class Lines:
    """Decode a binary stream chunk by chunk; iterate physical lines (ends kept)."""

    def __init__(self, raw: BinaryIO, name: str, encoding: str | None,
                 max_line: int | None = MAX_LINE) -> None:
        self.raw, self.name, self.count, self.max_line = raw, name, 0, max_line
        self.head = read_full(raw, CHUNK)
        if self.head.startswith(EXCEL_MAGIC):
            raise InvalidInput(LOOKS_EXCEL, file=name)
        self.ascii = False  # utf-8 detected on ASCII only: may still turn out to be GB18030
        self.fullwidth = False  # hand out U+3000 as " " (csv, tsv)
        if encoding is not None:
            info = encoding_info(encoding)
            self.encoding = info.name
            codec = "gb18030" if info.name in _GB else info.name
            if codec == "utf-8" and self.head.startswith(codecs.BOM_UTF8):
                codec = "utf-8-sig"
            if codec in _BOM_ORDER and self.head and not self.head.startswith(_BOM_ORDER[codec]):
                raise InvalidInput(NO_BOM, file=name, encoding=codec)
        else:
            codec = self.encoding = self._detect(len(self.head) < CHUNK)
        self.decoder = codecs.getincrementaldecoder(codec)()

    def _detect(self, final: bool) -> str:
        if self.head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if self.head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"  # Excel's "Unicode text"
        for codec in ("utf-8", "gb18030"):
            try:
                text = codecs.getincrementaldecoder(codec)().decode(self.head, final)
            except UnicodeDecodeError:
                continue
            self.ascii = codec == "utf-8" and text.isascii()
            return codec
        raise InvalidInput(UNKNOWN_ENCODING, file=self.name)

    def _decode(self, data: bytes, final: bool) -> tuple[str, InvalidInput | None]:
        """The text of ``data``, and the error that stops the reading there (then the text
        is what decodes well before it, so the lines before the bad one are handed out)."""
        try:
            text = self.decoder.decode(data, final)
        except UnicodeDecodeError as e:
            if self.ascii:  # all ASCII so far, then not UTF-8: the rest is GB18030
                self.ascii, self.encoding = False, "gb18030"
                self.decoder = codecs.getincrementaldecoder("gb18030")()
                return self._decode(bytes(e.object), final)
            return bytes(e.object[: e.start]).decode(self.encoding, "replace"), InvalidInput(DECODE_ERROR, file=self.name, encoding=self.encoding)
        except UnicodeError:  # the codec refuses the stream (UTF-16 without its BOM, …)
            return "", InvalidInput(DECODE_ERROR, file=self.name, encoding=self.encoding)
        if self.ascii and not text.isascii():
            self.ascii = False
        return text, None

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._chunks())

    def _chunks(self) -> Iterator[list[str]]:
        """The physical lines, a decoded chunk's worth at a time (``count`` counts the
        lines handed out; a chunk's are all read before the next is decoded).

        Linear in the file: each chunk is searched once for its last line break; what is
        before it (with the unfinished line carried from earlier chunks) is split by
        ``LINE`` in one pass that never fails to match (the text ends with a break), and
        the unfinished rest is kept as parts, joined once. A line longer than
        ``max_line`` characters stops the reading as soon as that many are held."""
        tail: list[str] = []  # the unfinished line: text without a line break
        size = 0  # its length
        carry = ""  # a "\r" that ended the last chunk: "\r\n" may straddle two chunks
        data = self.head
        self.head = b""
        while True:
            final = not data
            text, error = self._decode(data, final)
            if self.fullwidth and "\u3000" in text:
                # The full-width space of Chinese input methods, as an ASCII space: grid
                # cells are then cleaned by str.strip alone (the same as fields.clean).
                text = text.replace("\u3000", " ")
            if carry:
                text, carry = carry + text, ""
            if not final and error is None and text.endswith("\r"):
                text, carry = text[:-1], "\r"
            cut = max(text.rfind("\n"), text.rfind("\r")) + 1
            if cut:
                block = "".join((*tail, text[:cut])) if tail else text[:cut]
                lines = LINE.findall(block)
                self.count += len(lines)
                yield lines
                tail, size = [text[cut:]], len(text) - cut
            elif text:
                tail.append(text)
                size += len(text)
            if self.max_line is not None and size > self.max_line:
                raise InvalidInput(LINE_TOO_LONG, file=self.name, line=self.count + 1,
                                   limit=self.max_line)
            if error is not None:
                error.params["line"] = self.count + 1
                raise error
            if final:
                if size:
                    self.count += 1
                    yield ["".join(tail)]
                return
            data = self.raw.read(CHUNK)
