"""The brief stage: the weekly HTML briefing, built from the store by a context builder
(``context.py``: queries to typed view objects) and rendered by Jinja templates that hold
no SQL and no business logic (``render.py``, ``templates/``)."""
