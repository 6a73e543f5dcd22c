"""``python -m bot``: the ``halo`` command, for an install without its console script on PATH."""

from bot.cli import main

raise SystemExit(main())
