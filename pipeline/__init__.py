"""chipwire pipeline: configuration, CLI, jobs, extraction, market data and scheduling."""

__version__ = "0.1.0"
