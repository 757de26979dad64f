"""Check that every figure an evidence item quotes occurs in the source text.

The source is usually an OCR'd text, so the search tolerates its artefacts: words hyphenated
across line breaks ("Free-\\ndom" matches "Freedom", "cease-\\nfire" matches "cease-fire"), line
breaks and runs of spaces inside a figure ("$630\\nmillion"), typographic quotes and dashes,
letter case, and footnote digits glued to the end of a word ("general.'18"). A figure must
still stand on its own: "16" is not found inside "160", nor "five" inside "fivefold".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decision.specs import ModelSpec

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": "",  # soft hyphen
    }
)
_HYPHEN_BREAK = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Missing:
    """A figure of an evidence item that does not occur in the source."""

    evidence: str
    figure: str
    locator: str
    index: int = 0  # position in the item's figures

    @property
    def key_path(self) -> tuple[str | int, ...]:
        """Where the figure is in the model file (for locating it: file, line, column)."""
        return ("evidence", self.evidence, "figures", self.index)

    def message(self) -> str:
        """The figure, its evidence item and locator, in one phrase (no file name)."""
        return (
            f"evidence.{self.evidence}.figures[{self.index}]: '{self.figure}' not found in the "
            f"source (locator: {self.locator})"
        )


def normalise(text: str) -> str:
    """Unicode-normalised, typographic quotes and dashes made plain, case-folded, one space."""
    plain = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", plain).strip().casefold()


def source_variants(text: str) -> tuple[str, str]:
    """The source normalised twice: line-end hyphens joined ("Free-dom" -> "Freedom") and kept
    ("cease-\\nfire" -> "cease-fire"), since OCR cannot tell which one the printer meant."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return normalise(_HYPHEN_BREAK.sub("", text)), normalise(_HYPHEN_BREAK.sub("-", text))


def figure_pattern(figure: str) -> re.Pattern[str]:
    """A regular expression that finds ``figure`` as a stand-alone token sequence."""
    words = normalise(figure).split(" ")
    body = r"\s*".join(re.escape(w) for w in words)
    first, last = words[0][:1], words[-1][-1:]
    left = r"(?<![0-9a-z])" if first.isalnum() else ""
    right = r"(?![0-9])" if last.isdigit() else r"(?![a-z])" if last.isalpha() else ""
    return re.compile(left + body + right)


def occurs(figure: str, variants: tuple[str, str]) -> bool:
    """Whether the figure occurs in either normalised variant of the source."""
    pattern = figure_pattern(figure)
    return any(pattern.search(v) for v in variants)


def check_evidence(model: ModelSpec, source_text: str) -> list[Missing]:
    """Every figure of every evidence item that the source text does not contain, in model
    order (empty: all found)."""
    variants = source_variants(source_text)
    missing = []
    for evidence_id, item in model.evidence.items():
        for index, figure in enumerate(item.figures):
            if normalise(figure) and not occurs(figure, variants):
                missing.append(Missing(evidence_id, figure, item.locator, index))
    return missing
