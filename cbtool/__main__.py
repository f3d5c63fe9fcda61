"""Entry point of the ``cbtool`` command and ``python -m cbtool``.

``cbtool --version`` is answered before the command-line framework is imported, so
scripts that probe the version pay for nothing else.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from cbtool import __version__

        sys.stdout.write(f"cbtool {__version__}\n")
        return
    from cbtool.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
