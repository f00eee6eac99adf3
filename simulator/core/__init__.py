"""The pure core: scenario model, loading and validation, engine, scoring, analysis.

Nothing in this package touches the screen, the clock, the network or the disk (except
reading the file it is asked to load), and nothing imports a shell module or pygame; an
import-linter contract checks that.
"""
