"""Run the Retention Call Simulator: ``python main.py --help``."""

import sys

from simulator.cli import main

if __name__ == "__main__":
    sys.exit(main())
