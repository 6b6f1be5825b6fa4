"""The market stage: daily prices into ``price_bar``, trading calendars, event studies.

A stage like collect and extract: it reads the core (models, config, registry) and is
driven by the application layer (jobs, CLI); no other stage imports it.
"""
