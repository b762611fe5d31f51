"""Reading a chart rendered to SVG (vl-convert): its text marks, to check labels are there and apart."""

from __future__ import annotations

import html
import re


def svg_texts(svg: str) -> list[dict]:
    """The text marks of a Vega SVG: their string, position, font size and anchor."""
    out = []
    for m in re.finditer(r"<text([^>]*)>(.*?)</text>", svg, flags=re.S):
        attrs, body = m.group(1), html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        move = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", attrs)
        size = re.search(r"font-size=\"([\d.]+)px\"", attrs)
        anchor = re.search(r'text-anchor="(\w+)"', attrs)
        if move and body.strip():
            out.append(
                {
                    "text": body,
                    "x": float(move.group(1)),
                    "y": float(move.group(2)),
                    "size": float(size.group(1)) if size else 11.0,
                    "anchor": anchor.group(1) if anchor else "start",
                }
            )
    return out
