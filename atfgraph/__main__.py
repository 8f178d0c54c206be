"""``python -m atfgraph``: the same as the ``atfgraph`` command."""

from atfgraph.cli import main

main()
