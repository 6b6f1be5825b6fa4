"""The scheduler: APScheduler 3 driving the jobs of ``chipwire.pipeline.jobs`` unattended.

``plan`` turns the configured schedule into triggers, ``tasks`` holds what the job store
names, ``lock`` keeps one scheduler per store and ``service`` runs it.
"""
