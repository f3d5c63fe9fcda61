"""Hand-built inline SVG charts (no libraries, no scripts, no external references).

Text in the charts inherits the page's CJK-capable font; widths of labels are estimated
(a CJK character is about one em, other characters a little over half), which is
enough to size the label column and to shorten labels that would not fit. Inline SVG
in HTML needs no namespace declaration, so the page holds no URL at all.
"""

from __future__ import annotations

import math
import unicodedata
from html import escape

from cbtool.report.model import fmt_num

RED = "#b71c1c"
RED_LIGHT = "#e8b4b4"
GREY = "#9e9e9e"
TRACK = "#eeeeee"
INK = "#212121"
MUTED = "#757575"
AXIS = "#bdbdbd"


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of ``text`` at font size ``size``."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch in "ilI.,:;|!'":
            width += 0.3
        elif ch.isupper() or ch.isdigit():
            width += 0.62
        else:
            width += 0.55
    return width * size


def shorten(text: str, size: float, limit: float) -> str:
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    w, h = round(width), round(height)
    return (
        f'<svg viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def hbar_chart(
    rows: list[tuple[str, float, str]],
    *,
    title: str,
    width: float = 860,
    color: str = RED,
    scale_max: float | None = None,
    row_height: float = 22,
    font_size: float = 13,
    empty_text: str = "—",
) -> str:
    """Horizontal bars: one row per (label, value, value text), value text after the bar.

    ``scale_max`` fixes the full length (e.g. the number of points, drawn as a light
    track behind each bar); by default the largest value fills the plot.
    """
    pad = 4
    if not rows:
        height = row_height + 2 * pad
        body = [
            f'<text x="{pad}" y="{pad + row_height * 0.7:.1f}" font-size="{font_size}" '
            f'fill="{MUTED}">{escape(empty_text)}</text>'
        ]
        return _svg(width, height, title, body)
    label_w = min(max(text_width(lbl, font_size) for lbl, _, _ in rows) + 10, width * 0.4)
    value_w = max(text_width(txt, font_size) for _, _, txt in rows) + 12
    plot_x = pad + label_w
    plot_w = max(width - plot_x - value_w - pad, 40)
    top = max((v for _, v, _ in rows), default=0)
    full = scale_max if scale_max else top
    height = len(rows) * row_height + 2 * pad
    bar_h = row_height * 0.64
    body: list[str] = []
    for i, (lbl, value, txt) in enumerate(rows):
        y = pad + i * row_height
        mid = y + row_height / 2
        short = shorten(lbl, font_size, label_w - 10)
        tip = f"<title>{escape(lbl)}</title>" if short != lbl else ""
        body.append(
            f'<text x="{plot_x - 8:.1f}" y="{mid:.1f}" dy="0.35em" text-anchor="end" '
            f'font-size="{font_size}" fill="{INK}">{tip}{escape(short)}</text>'
        )
        bar_y = mid - bar_h / 2
        if scale_max:
            body.append(
                f'<rect x="{plot_x:.1f}" y="{bar_y:.1f}" width="{plot_w:.1f}" '
                f'height="{bar_h:.1f}" fill="{TRACK}"/>'
            )
        length = plot_w * min(value / full, 1.0) if full > 0 and value > 0 else 0.0
        if value > 0:
            length = max(length, 2.0)  # a non-zero figure never vanishes
            body.append(
                f'<rect x="{plot_x:.1f}" y="{bar_y:.1f}" width="{length:.1f}" '
                f'height="{bar_h:.1f}" fill="{color}"/>'
            )
        end = plot_x + (plot_w if scale_max else length)
        body.append(
            f'<text x="{end + 6:.1f}" y="{mid:.1f}" dy="0.35em" font-size="{font_size}" '
            f'fill="{INK if value else MUTED}">{escape(txt)}</text>'
        )
    body.append(
        f'<line x1="{plot_x:.1f}" y1="{pad}" x2="{plot_x:.1f}" y2="{height - pad:.1f}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    return _svg(width, height, title, body)


def donut(
    parts: list[tuple[str, float, str]],
    *,
    title: str,
    center: str,
    caption: str = "",
    width: float = 400,
    size: float = 170,
    font_size: float = 13,
) -> str:
    """A ring of (label, value, colour) parts with a figure in the middle and a legend."""
    pad = 6
    r = size / 2 - 16
    stroke = 24
    cx = cy = pad + size / 2
    circ = 2 * math.pi * r
    total = sum(max(v, 0) for _, v, _ in parts)
    body = [
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="none" stroke="{TRACK}" '
        f'stroke-width="{stroke}"/>'
    ]
    offset = 0.0
    for _, value, colour in parts:
        if total <= 0 or value <= 0:
            continue
        length = circ * value / total
        body.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circ - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {cx:.1f} {cy:.1f})"/>'
        )
        offset += length
    body.append(
        f'<text x="{cx:.1f}" y="{cy - 4:.1f}" text-anchor="middle" font-size="26" '
        f'font-weight="700" fill="{RED}">{escape(center)}</text>'
    )
    if caption:
        body.append(
            f'<text x="{cx:.1f}" y="{cy + 18:.1f}" text-anchor="middle" '
            f'font-size="{font_size}" fill="{MUTED}">{escape(caption)}</text>'
        )
    legend_x = pad + size + 18
    legend_y = cy - (len(parts) - 1) * 14
    for i, (lbl, value, colour) in enumerate(parts):
        y = legend_y + i * 28
        body.append(
            f'<rect x="{legend_x:.1f}" y="{y - 7:.1f}" width="14" height="14" rx="2" '
            f'fill="{colour}"/>'
        )
        text = shorten(lbl, font_size, width - legend_x - 24 - text_width("0000", font_size))
        body.append(
            f'<text x="{legend_x + 22:.1f}" y="{y:.1f}" dy="0.35em" font-size="{font_size}" '
            f'fill="{INK}">{escape(text)} <tspan font-weight="700">{fmt_num(value)}</tspan></text>'
        )
    return _svg(width, size + 2 * pad, title, body)
