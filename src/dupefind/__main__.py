"""``python -m dupefind``."""

from .console import main

main()
