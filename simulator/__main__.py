"""``python -m simulator`` is the same as the ``parolesim`` command."""

from simulator.cli import main

raise SystemExit(main())
