"""``python -m pipeline`` runs the chipwire CLI (handy where the console script is not on PATH)."""

from chipwire.pipeline.cli import main

main()
