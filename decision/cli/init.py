"""``decision init DIR``: write a small, annotated example project that validates and runs.

Files are never overwritten: if any of them exists, nothing is written and one line says which.
Each file is written to a hidden temporary file beside it, synced, and linked into place
(``link`` fails rather than replace an existing file, so a file created meanwhile is kept too);
if a later file fails, the ones already placed are removed, so a failed or interrupted run
leaves no half-written project behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import click

from decision.errors import DecisionError


def write_new_files(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` (relative path -> text) under ``folder``, all or none; never replace."""
    targets = [folder / name for name in files]
    for target in targets:
        if os.path.lexists(target):
            raise DecisionError(
                f"'{target}' already exists; nothing was written",
                key_path="DIR",
                allowed="a new or empty folder (decision init never overwrites a file)",
            )
    placed: list[Path] = []
    created: list[Path] = []
    try:
        for target, text in zip(targets, files.values(), strict=True):
            for parent in reversed(target.parents):
                if not parent.exists() and parent.is_relative_to(folder.parent):
                    parent.mkdir()
                    created.append(parent)
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.init")
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.link(temporary, target)  # fails if the target appeared meanwhile
                placed.append(target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
    except BaseException as exc:
        for path in reversed(placed):
            with contextlib.suppress(OSError):
                os.unlink(path)
        for directory in reversed(created):
            with contextlib.suppress(OSError):
                directory.rmdir()
        if isinstance(exc, FileExistsError):
            raise DecisionError(
                f"'{exc.filename}' appeared while writing; nothing was written",
                key_path="DIR",
                allowed="a new or empty folder (decision init never overwrites a file)",
            ) from None
        if isinstance(exc, OSError):
            raise DecisionError(
                f"cannot write to '{folder}': {exc.strerror or exc}; nothing was written",
                key_path="DIR",
                allowed="a folder you can write to",
            ) from None
        raise
    return placed


@click.command(name="init")
@click.argument("directory", metavar="DIR")
@click.option(
    "--options",
    type=click.IntRange(2, 30),
    default=3,
    show_default=True,
    help="Options in the model (the last is the no-action reference).",
)
@click.option(
    "--criteria", type=click.IntRange(1, 15), default=3, show_default=True, help="Criteria."
)
def init_command(directory: str, options: int, criteria: int) -> None:
    """Write a small annotated model and two scenarios into DIR, ready to run."""
    from decision.specs.example import example_files

    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise DecisionError(
            f"'{folder}' is not a folder", key_path="DIR", allowed="a new or existing folder"
        )
    written = write_new_files(folder, example_files(options, criteria))
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"next: cd {folder} && decision validate models/model.yaml scenarios/*.yaml && "
        "decision compare scenarios/*.yaml"
    )
