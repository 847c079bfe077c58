"""``python -m dupefind``."""

from .cli import main

main()
