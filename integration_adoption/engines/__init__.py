"""Running the project on other engines than DuckDB, and checking they agree.

One reader module per engine, `<engine>_engine.py`, exposes ``open_engine()``
returning an object with ``name`` and ``read_table(schema, table)`` (a pandas
DataFrame); `compare.py` compares any two of them mart by mart.
"""
