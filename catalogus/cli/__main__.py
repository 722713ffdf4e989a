"""``python -m catalogus.cli``: the same as the ``catalogus`` command."""

from . import main

main()
