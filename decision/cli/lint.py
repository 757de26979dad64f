"""``decision lint MODEL [SCENARIO...]``: a reviewer's warnings about a valid model (see
:mod:`decision.load.lint` and :mod:`decision.study.lint`), one located line each; exit 0
whatever is found (``--strict``: exit 1 when there is any warning, for CI)."""

from __future__ import annotations

import json

import click


@click.command(name="lint")
@click.argument("model")
@click.argument("scenarios", nargs=-1)
@click.option("--allow-any-path", is_flag=True,
              help="Let scenarios name model and extends files anywhere.")
@click.option("--json", "as_json", is_flag=True, help="Print the warnings as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there is any warning.")
def lint_command(
    model: str, scenarios: tuple[str, ...], allow_any_path: bool, as_json: bool, strict: bool
) -> None:
    """Warnings about a valid model: judgements without evidence, default-width ranges,
    criteria without anchored scales, that barely separate the options or that move
    together, unused indicators, and options no scenario (or no values at all) make
    available."""
    from decision.study.lint import lint_paths

    warnings = lint_paths(model, scenarios, allow_any_path=allow_any_path)
    if as_json:
        click.echo(json.dumps(
            [
                {"code": w.code, "file": w.where.file, "line": w.where.line,
                 "key_path": w.key_path, "message": w.where.what}
                for w in warnings
            ],
            indent=2,
        ))
    else:
        for w in warnings:
            click.echo(f"warning: {w.one_line()}")
        click.echo(f"{len(warnings)} warning(s) in {model}", err=True)
    if strict and warnings:
        raise SystemExit(1)
