"""``python -m chipwire.pipeline`` runs the CLI where the console script is not on PATH."""

from chipwire.pipeline.cli import main

main()
