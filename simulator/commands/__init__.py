"""One module per command: each adds its own parser (``add_parser``) and carries it out (``run``).

``simulator.cli`` only assembles them in the order of ``COMMANDS`` (the order ``--help`` shows).
"""

from __future__ import annotations

from . import (
               analyze,
               classroom,
               export,
               graph,
               listing,
               new,
               play,
               playtest,
               recognise,
               report,
               screenshot,
               techniques,
               validate,
)

COMMANDS = (screenshot, play, report, export, listing, validate, playtest, analyze, graph, new, techniques, classroom,
            recognise)
