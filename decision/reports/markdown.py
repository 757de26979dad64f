"""A small document model (headings, paragraphs, lists, tables, figures) and its Markdown.

The report's outline is built once from these blocks (:mod:`decision.reports.writer`) and
rendered twice: as Markdown here and as HTML in :mod:`decision.reports.html`. Text in blocks
uses a tiny inline markup, ``**bold**`` and ``code`` in backticks; anything taken from the
model or scenario files goes through :func:`escape` first, so it is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from decision.reports.charts import Chart
from decision.reports.visible import visible

_SPECIAL = re.compile(r"([\\`*\[\]<|])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_BLOCK_START = re.compile(r"^(#|>|[-+*] |\d+[.)] )")


def escape(text: object) -> str:
    """Text shown literally in the inline markup: Markdown's special characters escaped (an
    underscore only where it could start or end emphasis, not inside ``snake_case``)."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), visible(" ".join(str(text).split())))


def code(text: object) -> str:
    """Inline code (ids, expressions, paths)."""
    value = visible(" ".join(str(text).split()).replace("`", "'"))
    return f"`{value}`"


def slug(text: str) -> str:
    """An anchor id: lower case, letters, digits and hyphens (as GitHub makes them)."""
    plain = re.sub(r"[^\w\- ]", "", text.lower()).strip()
    return re.sub(r"\s", "-", plain)


@dataclass(frozen=True)
class Heading:
    """A section heading; ``anchor`` is its link target."""

    level: int
    text: str
    anchor: str = ""

    @property
    def id(self) -> str:
        """The anchor, or one made from the text."""
        return self.anchor or slug(self.text)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline markup."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of inline-markup items."""

    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    """A table with a caption; the first column heads its row."""

    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool] = field(default=())

    def is_numeric(self, column: int) -> bool:
        """Whether the column holds numbers (right-aligned)."""
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Figure:
    """A chart with its caption (the chart's title and description)."""

    chart: Chart


Block = Heading | Paragraph | Bullets | Table | Figure

CHART_DIR = "charts"


def chart_path(chart: Chart) -> str:
    """Where a chart's SVG file goes, relative to the report."""
    return f"{CHART_DIR}/{chart.name}.svg"


def _cell(text: str) -> str:
    return text.replace("\n", " ")


def _literal_start(text: str) -> str:
    """A paragraph that Markdown would read as a heading, quote or list item, made literal."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    if text[0].isdigit():  # "1. " -> "1\. "
        cut = len(match.group(0)) - 2
        return text[:cut] + "\\" + text[cut:]
    return "\\" + text


def render_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as GitHub-flavoured Markdown (charts as images under ``charts/``)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            out += [_literal_start(block.text), ""]
        elif isinstance(block, Bullets):
            out += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out += [f"*Table: {block.caption}*", ""]
            out.append("| " + " | ".join(_cell(h) for h in block.header) + " |")
            out.append(
                "|"
                + "|".join("---:" if block.is_numeric(k) else "---" for k in
                           range(len(block.header)))
                + "|"
            )
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        else:
            chart = block.chart
            out += [
                f"![{escape(chart.title)}]({chart_path(chart)})",
                "",
                f"*Figure: {escape(chart.title)}.* {escape(chart.description)}",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
