"""The html papers printed by a real browser (headless Chromium), from the demo database
(``init --sample``) with a few rows made to be awkward (a long minority name, long notes,
6-figure counts): each paper is printed to PDF and laid out at A4 width.

* the page count of the PDF is the one the rows imply: the rows' measured heights, laid
  out on A4 pages (the height ``@page`` leaves), each page starting under the header row;
* the header row is on every page a table runs over, no row is cut by a page break, an
  area's band is on the page of its first member and the totals on that of the last row
  (all read from the PDF's structure tree: Chromium writes tagged PDF);
* no cell's text is wider than its cell and no table is wider than the page.

Skipped where no Chromium or Chrome is installed (CI may have none).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MM = 96 / 25.4  # CSS px per mm
A4 = {"portrait": (210, 297), "landscape": (297, 210)}  # mm
SLACK = 3  # px either way: how far a page's fill may be off the measure
# Columns whose values are never to be broken over two lines (dates, numbers, IDs, words).
ONE_LINE = ["序号", "党员编号", "性别", "出生日期", "年龄", "党员类别", "入党时间", "党龄", "身份证号",
            "联系电话", "日期", "类型", "服务人数", "志愿时长（小时）"]


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


# Slow (a browser run per paper): CI runs it in its `-m slow` step, where a browser is installed.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(browser() is None, reason="no headless Chromium/Chrome on PATH")]

# Marks the page's <body> with what was measured: the texts of cells wider than their box
# (or tables wider than their section, a one-line value broken over two, a name of
# 参加党员 split that would fit on a line), and the pages each section's rows take, laid out
# on pages LIMIT px high (two limits: SLACK px less and more).
PROBE = """<script>
(function () {
  var out = [];
  document.querySelectorAll("td, th").forEach(function (c) {
    if (c.scrollWidth > c.clientWidth + 1) { out.push(c.textContent); }
  });
  document.querySelectorAll("table").forEach(function (t) {
    if (t.getBoundingClientRect().width > t.parentElement.clientWidth + 1) {
      out.push("<table " + t.querySelector("th").textContent + ">");
    }
  });
  document.querySelectorAll("table").forEach(function (t) {  /* one-line values wrapped */
    var heads = Array.prototype.map.call(t.tHead.rows[0].cells, function (c) {
      return c.textContent; });
    Array.prototype.forEach.call(t.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (c, i) {
        if (ONE_LINE.indexOf(heads[i]) < 0 || !c.textContent) { return; }
        var range = document.createRange(), tops = {};
        range.selectNodeContents(c);
        Array.prototype.forEach.call(range.getClientRects(), function (r) {
          tops[Math.round(r.top)] = 1; });
        if (Object.keys(tops).length > 1) { out.push(heads[i] + ": " + c.textContent); }
      });
      var at = heads.indexOf("参加党员"), c = at < 0 ? null : row.cells[at];
      if (!c || !c.firstChild || row.cells.length !== heads.length) { return; }
      var text = c.firstChild, start = 0, em = parseFloat(getComputedStyle(c).fontSize);
      text.data.split("、").forEach(function (name) {  /* each name on one line */
        var range = document.createRange(), tops = {};
        range.setStart(text, start);
        range.setEnd(text, start + name.length);
        start += name.length + 1;
        Array.prototype.forEach.call(range.getClientRects(), function (r) {
          tops[Math.round(r.top)] = 1; });
        if (Object.keys(tops).length > 1 && name.length * em < c.clientWidth - em) {
          out.push("参加党员: " + name);
        }
      });
    });
  });
  document.body.setAttribute("data-overflow", JSON.stringify(out));
  function box(e) { return e.getBoundingClientRect(); }
  function pages(limit) {  /* the pages of each section */
    var counts = [], sections = document.querySelectorAll("body > section");
    sections.forEach(function (section, s) {
      var table = section.querySelector("table"), head = box(table.tHead).height;
      var rows = Array.prototype.slice.call(table.tBodies[0].rows), units = [], i = 0;
      while (i < rows.length) {  /* a band goes with the row after it, the totals with
                                    the row before */
        var j = i;
        if (rows[j].className === "group" && j + 1 < rows.length) { j++; }
        if (j + 2 === rows.length && rows[j + 1].className === "total") { j++; }
        units.push(box(rows[j]).bottom - box(rows[i]).top);
        i = j + 1;
      }
      var n = 1, y = (rows.length ? box(rows[0]).top : box(table.tHead).bottom)
        - box(section).top, last = box(table).bottom;
      units.forEach(function (u) {
        if (y + u > limit) { n++; y = head; }
        while (y + u > limit) { u -= limit - y; n++; y = head; }  /* taller than a page */
        y += u;
      });
      var after = [section.querySelector("div.tail")];
      if (s === sections.length - 1) { after.push(document.querySelector("footer")); }
      after.forEach(function (e) {
        if (!e) { return; }
        var u = box(e).bottom - last;
        last = box(e).bottom;
        if (y + u > limit) { n++; y = box(e).height; } else { y += u; }
      });
      counts.push(n);
    });
    return counts;
  }
  document.body.setAttribute("data-pages", JSON.stringify(
    {most: pages(LIMIT - SLACK), fewest: pages(LIMIT + SLACK)}));
})();
</script>"""


def chrome(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chrome-profile"  # its own, never the user's nor another run's
    return subprocess.run(
        [browser(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *args],
        check=True, capture_output=True, timeout=180)


# --- the PDF: its pages and its structure tree -------------------------------------------------

_OBJ = re.compile(rb"(\d+) 0 obj\s*<<(/Type /(?:StructElem|Pages?)\b.*?)>>\s*endobj", re.S)
_REF = re.compile(rb"(\d+) 0 R")
_MCR = re.compile(rb"<</Type /MCR\s*/Pg (\d+) 0 R\s*/MCID \d+>>")


class Pdf:
    """The pages of a PDF in order and its tagged structure: each element's type, its
    kids and the pages its content is drawn on."""

    def __init__(self, data: bytes):
        self.objects = {int(n): body for n, body in _OBJ.findall(data)}
        pages = {n: b for n, b in self.objects.items() if b.startswith(b"/Type /Pages")}
        root = next(n for n, b in pages.items() if b"/Parent" not in b)
        self.pages: list[int] = []
        self._walk(root, pages)
        self.elements = {n: b for n, b in self.objects.items()
                         if b.startswith(b"/Type /StructElem")}

    def _walk(self, node: int, pages: dict[int, bytes]) -> None:
        if node not in pages:
            self.pages.append(node)
            return
        kids = re.search(rb"/Kids \[(.*?)\]", pages[node], re.S).group(1)
        for ref in _REF.findall(kids):
            self._walk(int(ref), pages)

    def kind(self, n: int) -> str:
        return re.search(rb"/S /(\w+)", self.elements[n]).group(1).decode()

    def _k(self, n: int) -> bytes:
        """The element's /K: a marked-content id, a kid, an MCR or an array of them."""
        body = self.elements[n]
        if b"/K " not in body:
            return b""
        k = body.split(b"/K ", 1)[1]
        if k.startswith(b"["):
            return k[: k.index(b"]") + 1]
        if k.startswith(b"<<"):
            return k[: k.index(b">>") + 2]
        return re.match(rb"\d+(?: 0 R)?", k).group(0)

    def kids(self, n: int) -> list[int]:
        refs = [int(r) for r in _REF.findall(_MCR.sub(b"", self._k(n)))]
        return [r for r in refs if r in self.elements]

    def _drawn_on(self, n: int) -> set[int]:
        k = self._k(n)
        found = {int(p) for p in _MCR.findall(k)}
        rest = _REF.sub(b"", _MCR.sub(b"", k))
        if re.search(rb"\d", rest) and (own := re.search(rb"/Pg (\d+) 0 R", self.elements[n])):
            found.add(int(own.group(1)))  # a marked-content id on the element's own page
        for kid in self.kids(n):
            found |= self._drawn_on(kid)
        return found

    def on_pages(self, n: int) -> set[int]:
        """The page numbers (1, 2, …) the element's content is drawn on."""
        return {self.pages.index(p) + 1 for p in self._drawn_on(n) if p in self.pages}

    def tables(self) -> list[list[int]]:
        """Each table's rows (TR elements), in order."""
        return [[k for k in self.kids(n) if self.kind(k) == "TR"]
                for n in sorted(self.elements) if self.kind(n) == "Table"]


def check_breaks(pdf: Pdf) -> None:
    tables = pdf.tables()
    covered: set[int] = set()
    for rows in tables:
        header, body = rows[0], rows[1:]
        on = [pdf.on_pages(r) for r in body]
        for i, pages in enumerate(on):  # only a row taller than a page, and on a page of its own
            assert len(pages) == 1 or i == 0 or max(on[i - 1]) < min(pages), \
                "a row is cut by a page break"
        spans = set().union(*on) if on else set()
        covered |= spans
        for cell in pdf.kids(header):
            assert pdf.kind(cell) == "TH"
            assert pdf.on_pages(cell) >= spans, "a page without the header row"
        for i, row in enumerate(body[:-1]):
            if all(pdf.kind(c) == "TH" for c in pdf.kids(row)):  # an area's band
                assert on[i] == on[i + 1], "a band left alone at the foot of a page"
    assert covered <= set(range(1, len(pdf.pages) + 1))


# --- the papers ---------------------------------------------------------------------------------

LONG_NAME = "阿卜杜热合曼·买买提艾力·吐尔逊托合提"
LONG_NOTE = "长期在外地工作，每季度通过电话与支部联系一次；" * 6
TALL_NOTE = "；2024年起在新疆奎屯市援疆，组织关系暂留本支部，由支部书记每月电话联系一次" * 10  # over a page


@pytest.fixture
def demo(cli):
    """The demo database with awkward rows: a long name, long texts, 6-figure counts."""
    cli.ok("init", "--sample")
    cli.ok("members", "add", "--no", "0009001", "--name", LONG_NAME, "--category", "在职",
           "--area", "A01", "--gender", "男", "--born", "1980-01-01", "--joined", "2001-07-01",
           "--phone", "021-57931234",
           "--employer", "上海石化股份有限公司涤纶事业部聚酯装置第二联合车间运行三班", "--note", LONG_NOTE)
    cli.ok("members", "add", "--no", "0009002", "--name", "欧阳娜仁托娅", "--category", "流动",
           "--area", "A02", "--whereabouts", "新疆维吾尔自治区伊犁哈萨克自治州奎屯市",
           "--note", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz"
           + TALL_NOTE)
    first, last = cli.rows("SELECT min(date), max(date) FROM logs")[0]
    cli.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--on", first,
           "--title", "社区环境整治暨垃圾分类宣传志愿服务" * 4, "--members", "0009001,0009002",
           "--served", "123456", "--hours", "99999.5", "--note", "参加人员较多，分三批进行。" * 8)
    cli.first, cli.last = first, last
    return cli


def print_and_measure(tmp_path: Path, page: Path) -> tuple[Pdf, list[str]]:
    """Print ``page`` to PDF and lay it out at A4 width; returns the PDF and the texts of
    cells that overflow, after checking each section takes the pages its rows imply."""
    html = page.read_text(encoding="utf-8")
    size = re.search(r"@page \{ size: A4 (\w+); margin: ([\d.]+)mm [\d.]+mm ([\d.]+)mm", html)
    width, height = A4[size.group(1)]
    limit = (height - float(size.group(2)) - float(size.group(3))) * MM
    pdf = tmp_path / f"{page.stem}.pdf"
    chrome(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    probe = tmp_path / f"{page.stem}-probe.html"
    script = (PROBE.replace("LIMIT", f"{limit:.2f}").replace("SLACK", str(SLACK))
              .replace("ONE_LINE", json.dumps(ONE_LINE, ensure_ascii=False)))
    probe.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    # As wide as the page: the body is as wide as the printed area, laid out as printed.
    dom = chrome(tmp_path, f"--window-size={round(width * MM)},{round(height * MM)}",
                 "--dump-dom", probe.as_uri()).stdout.decode("utf-8")
    found = {name: json.loads(unescape(value))
             for name, value in re.findall(r'data-(overflow|pages)="([^"]*)"', dom)}
    printed = Pdf(pdf.read_bytes())
    if not printed.tables():
        pytest.skip("this browser writes untagged PDF (no structure tree to read pages from)")
    starts = [min(printed.on_pages(rows[0])) for rows in printed.tables()]
    took = [b - a for a, b in zip(starts, [*starts[1:], len(printed.pages) + 1], strict=True)]
    measured = found["pages"]
    assert len(took) == len(measured["most"])
    for got, fewest, most in zip(took, measured["fewest"], measured["most"], strict=True):
        assert fewest <= got <= most, (took, measured)
    return printed, found["overflow"]


@pytest.mark.parametrize("options", [[], ["--reveal", "--status", "all"]],
                         ids=["masked", "revealed-with-status"])
def test_the_roster_prints_on_a4_pages(demo, tmp_path, options):
    page = tmp_path / "花名册.html"
    demo.ok("roster", "--format", "html", "--out", page, *options)
    pdf, overflow = print_and_measure(tmp_path, page)
    assert overflow == []
    assert len(pdf.pages) >= 2
    check_breaks(pdf)
    (rows,) = pdf.tables()
    where = "" if options else " WHERE status = 'active'"
    areas, people = demo.rows(f"SELECT count(DISTINCT area), count(*) FROM members{where}")[0]
    assert len(rows) == 1 + areas + people  # the header, the areas' bands, the members
    assert pdf.on_pages(rows[0]) == set(range(1, len(pdf.pages) + 1))


def test_the_ledger_of_every_point_prints_on_a4_pages(demo, tmp_path):
    page = tmp_path / "服务点工作台账.html"
    demo.ok("ledger", "--point", "all", "--period", f"{demo.first}..{demo.last}",
            "--format", "html", "--out", page)
    pdf, overflow = print_and_measure(tmp_path, page)
    assert overflow == []
    check_breaks(pdf)
    tables = pdf.tables()
    assert len(tables) == demo.rows("SELECT count(*) FROM points WHERE active = 1")[0][0]
    starts = [min(pdf.on_pages(t[0])) for t in tables]
    assert starts == sorted(set(starts))  # each point on pages of its own
    assert max(len(pdf.on_pages(t[0])) for t in tables) >= 2  # some run over a page
    logged = sum(len(t) - 2 for t in tables)  # less the header and the totals
    assert logged == demo.rows("SELECT count(*) FROM logs WHERE NOT voided")[0][0]
