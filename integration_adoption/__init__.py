"""Python side of the integration_adoption dbt project.

Subpackages: ``generator`` (synthetic raw data with a known ground truth); room is
left for ``validation`` and ``reports``.
"""

__version__ = "0.1.0"
