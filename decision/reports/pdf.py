"""Printing the brief's HTML to a PDF with headless Chromium (``decision compare --pdf``).

Chromium is the one PDF engine: the report tests already drive it, CI installs it, and it
prints the page exactly as a browser shows it. It is found as ``$CHROMIUM`` or by a usual
name on the PATH; without it ``--pdf`` fails with one line that says what to install (the
Markdown and HTML files need no engine). Chromium stamps the print time into the PDF's
``/CreationDate`` and ``/ModDate``; they are set to a fixed date of the same length, so a
rerun gives the same bytes and the PDF's cross-reference offsets stay valid.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from decision.errors import DecisionError

#: Names Chromium goes by on the PATH, tried in order.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Seconds Chromium may take to print one page.
TIMEOUT = 120.0
#: The date written into every PDF (the epoch, in PDF's date syntax).
FIXED_DATE = b"19700101000000"
_DATE = re.compile(rb"/(CreationDate|ModDate) ?\(D:(\d{14})")
INSTALL = "Chromium installed (e.g. apt-get install chromium) or $CHROMIUM set to its path"


def find_chromium() -> str | None:
    """The Chromium binary: ``$CHROMIUM`` if set (and executable), else the first of
    :data:`CANDIDATES` on the PATH, else None."""
    named = os.environ.get("CHROMIUM")
    if named:
        found = shutil.which(named)
        return found if found and os.access(found, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium binary, or the one-line error of ``--pdf`` without a PDF engine."""
    found = find_chromium()
    if found is None:
        where = f" at '{os.environ['CHROMIUM']}'" if os.environ.get("CHROMIUM") else ""
        raise DecisionError(
            f"headless Chromium prints brief.pdf, and none was found{where}",
            key_path="--pdf",
            allowed=INSTALL,
        )
    return found


def fixed_dates(pdf: bytes) -> bytes:
    """The PDF with its creation and modification dates set to :data:`FIXED_DATE` (the same
    number of bytes, so no offset moves)."""
    return _DATE.sub(lambda m: m.group(0)[: -len(FIXED_DATE)] + FIXED_DATE, pdf)


def print_pdf(html: str, chromium: str | None = None) -> bytes:
    """``html`` (a self-contained page) printed by headless Chromium, as PDF bytes.

    The page is written to a private temporary folder with its own browser profile, so
    nothing of the user's profile is read and the folder's path is in no file kept.
    """
    binary = chromium or require_chromium()
    with tempfile.TemporaryDirectory(prefix="decision-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "brief.html", folder / "brief.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        env = {**os.environ, "TZ": "UTC"}
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DecisionError(
                f"Chromium ('{binary}') could not print brief.pdf: {exc}",
                key_path="--pdf",
                allowed=INSTALL,
            ) from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            raise DecisionError(
                f"Chromium ('{binary}') could not print brief.pdf (exit status "
                f"{done.returncode})",
                key_path="--pdf",
                allowed=INSTALL,
            )
        return fixed_dates(out.read_bytes())
