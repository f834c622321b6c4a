"""``python -m gdstudio``: same as the ``gdstudio`` command."""

from gdstudio.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
