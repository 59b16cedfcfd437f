"""Reports over the built warehouse."""
