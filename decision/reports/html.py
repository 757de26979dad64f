"""The report's blocks as one self-contained, accessible HTML page.

Inline CSS, inline SVG charts, no scripts and nothing fetched from the network: the file can
be mailed and opened anywhere. Headings carry ids and a table of contents links to them;
tables have captions and header cells with scopes; charts are ``<figure>`` elements with a
caption repeating their title and description.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from decision.reports.markdown import Block, Bullets, Figure, Heading, Paragraph, Table
from decision.reports.visible import visible

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
  sans-serif; color: var(--ink); background: #fff; }
main { max-width: 70rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 0.75rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 0.75rem; padding-top: 0.5rem;
  border-top: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.4rem; }
p, li { max-width: 62rem; }
code { font: 0.88em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  background: var(--band); padding: 0 0.2em; border-radius: 3px; }
nav.toc { background: var(--band); padding: 0.75rem 1rem; border-radius: 6px; }
nav.toc ol { margin: 0.25rem 0 0; padding-left: 1.5rem; }
nav.toc a { display: inline-block; min-height: 24px; padding: 2px 0; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.25rem; }
.table-wrap:focus { outline: 2px solid #1f5fbf; outline-offset: 2px; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.25rem 0;
  color: var(--muted); }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.6rem; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); background: #fff; }
tbody th { font-weight: 600; }
tbody th code { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafafa; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.88rem; color: var(--muted); max-width: 62rem; margin-top: 0.3rem; }
@media (max-width: 40rem) { main { padding: 1rem 0.75rem 3rem; } table { font-size: 0.85rem; } }
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  body { font-size: 9pt; line-height: 1.35; }
  main { max-width: none; padding: 0; }
  h1, h2, h3, h4 { break-after: avoid; }
  h2 { margin-top: 1.5rem; }
  figure { break-inside: avoid; }
  figure svg { width: 440px; max-width: 100%; max-height: 245mm; margin: 0 auto; }
  tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 7.5pt; }
  figcaption { font-size: 7.5pt; }
  p, li { margin: 0.3em 0; }
  th, td { padding: 0.15rem 0.3rem; overflow-wrap: break-word; }
  td.num, th.num { white-space: normal; }
  table.wide { font-size: 6.5pt; }
  table.wide th, table.wide td { padding: 0.1rem 0.15rem; }
  tbody th code { white-space: normal; }
  nav.toc { break-inside: avoid; }
}
"""

_INLINE = re.compile(
    r"\\(.)|`([^`]*)`|\*\*(.+?)\*\*|\*([^*]+?)\*|\[([^\]`*\\]+)\]\(([A-Za-z0-9_.-]+)\)",
    re.DOTALL,
)


def inline(text: str) -> str:
    """The inline markup (``**bold**``, ``*emphasis*``, backtick code, backslash escapes, and
    ``[text](file)`` links to a sibling file) as HTML (invisible format characters shown as
    ``[U+XXXX]``). Text from the inputs is escaped first, so it never makes a link."""
    text = visible(text)
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[position : match.start()]))
        literal, code, bold, emphasis, label, target = match.groups()
        if literal is not None:
            out.append(escape(literal))
        elif code is not None:
            out.append(f"<code>{escape(code)}</code>")
        elif bold is not None:
            out.append(f"<strong>{inline(bold)}</strong>")
        elif label is not None:
            out.append(f'<a href="{escape(target)}">{escape(label)}</a>')
        else:
            out.append(f"<em>{inline(emphasis)}</em>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def _table(block: Table, number: int) -> list[str]:
    """A table in a scrollable region that a keyboard can reach (focusable, named by the
    table's caption), so a wide table can be scrolled without a mouse."""
    caption = f"table-{number}"
    lines = [
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{caption}">'
        f'<table{_wide(block)}><caption id="{caption}">{inline(block.caption)}</caption>'
    ]
    head = "".join(
        f'<th scope="col"{_num(block, k)}>{inline(h)}</th>' for k, h in enumerate(block.header)
    )
    lines += [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in block.rows:
        cells = [f'<th scope="row">{inline(row[0])}</th>'] + [
            f"<td{_num(block, k)}>{inline(c)}</td>" for k, c in enumerate(row) if k > 0
        ]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table></div>"]
    return lines


#: Tables with more columns than this print in a smaller type, so they fit A4's width.
WIDE_COLUMNS = 7


def _wide(block: Table) -> str:
    return ' class="wide"' if len(block.header) > WIDE_COLUMNS else ""


def _num(block: Table, column: int) -> str:
    return ' class="num"' if block.is_numeric(column) else ""


def _contents(blocks: Sequence[Block]) -> list[str]:
    items = [b for b in blocks if isinstance(b, Heading) and b.level == 2]
    if not items:
        return []
    links = "".join(f'<li><a href="#{b.id}">{inline(b.text)}</a></li>' for b in items)
    return [f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{links}</ol>'
            "</nav>"]


def render_html(
    blocks: Sequence[Block], title: str, *, contents: bool = True, css: str = CSS
) -> str:
    """A complete HTML page of the blocks (the first level-1 heading opens it, then the
    table of contents unless ``contents`` is false); ``css`` styles it (the one-page brief
    has its own)."""
    body: list[str] = []
    toc_done = not contents
    tables = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 2 and not toc_done:
                body += _contents(blocks)
                toc_done = True
            body.append(f'<h{block.level} id="{block.id}">{inline(block.text)}</h{block.level}>')
        elif isinstance(block, Paragraph):
            body.append(f"<p>{inline(block.text)}</p>")
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            tables += 1
            body += _table(block, tables)
        elif isinstance(block, Figure):
            chart = block.chart
            body += [
                f'<figure aria-labelledby="caption-{chart.name}">',
                chart.svg.rstrip(),
                f'<figcaption id="caption-{chart.name}"><strong>{escape(visible(chart.title))}.'
                f"</strong> {escape(visible(chart.description))}</figcaption>",
                "</figure>",
            ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="decision">',
            f"<title>{escape(visible(title))}</title>",
            f"<style>{css}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
