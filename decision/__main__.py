"""The ``decision`` command and ``python -m decision``: load the CLI, then run it.

Loading the CLI's modules takes a noticeable moment; Ctrl-C during it ends the same way as
Ctrl-C later on (one line, exit status 130), not with a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Import the command line and run it."""
    try:
        from decision.cli.main import main as run

        run()
    except KeyboardInterrupt:  # before or after the CLI's own handler is in place
        sys.stderr.write("error: aborted\n")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
