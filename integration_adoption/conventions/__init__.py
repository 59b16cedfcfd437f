"""The project's own dbt-bouncer checks (loaded by path from ``checks/``, see dbt-bouncer.yml)."""
