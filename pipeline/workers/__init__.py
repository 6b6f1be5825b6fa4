"""Running the pipeline on Celery workers: a team's scale-out (docs/scaling.md).

With ``broker_url`` set the scheduler only enqueues; ``chipwire worker`` processes take
the tasks from one queue per stage.  Without a broker nothing here is imported.
"""
