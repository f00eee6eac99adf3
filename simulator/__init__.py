"""Retention Call Simulator: practise the hardest customer-retention calls."""

__version__ = "0.1.0"
