"""The interactive dashboard over the DuckDB marts (`make dashboard`).

`snapshot` publishes the marts to a file of their own after a build; `app`
serves them with Dash; `queries` holds every SQL the charts run.
"""
