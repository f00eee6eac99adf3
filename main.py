"""Run the Retention Call Simulator: ``python main.py --help``."""

import sys

try:
    from simulator.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading: leave quietly, as after any interrupt
    sys.exit(130)

if __name__ == "__main__":
    sys.exit(main())
