"""The ``chipwire`` command line: one module per command group, composed in ``main``.

- ``main``    the root command, its options and error reporting; composes the groups
- ``common``  consoles, the invocation's settings, JSON-lines output (shared helpers)
- ``browse``  config, companies, sql
- ``store``   the ``db`` group: upgrade, current, seed
- ``collect`` crawl, sources, new-source, fixtures
- ``extract`` extract
- ``demo``    demo

Commands stay thin: they read options, call a job (``chipwire.pipeline.jobs``) or a
stage's public function, and print.
"""

from chipwire.pipeline.cli.main import app, main

__all__ = ["app", "main"]
