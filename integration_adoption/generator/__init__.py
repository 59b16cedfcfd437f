"""Synthetic raw data for the integration_adoption project, with a recorded ground truth.

Entry points: :func:`integration_adoption.generator.run.generate` and the ``ia-generate``
command (``python -m integration_adoption.generator``).
"""
