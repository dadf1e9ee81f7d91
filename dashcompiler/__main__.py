"""`python -m dashcompiler` runs the `dash` command line."""

from cli import main

main()
