"""`python -m graphmem.cli`: the same as the `graphmem` script."""

from graphmem.cli.app import main

main()
