"""Thin Prefect flows (one per file, verb names), the tasks that do the I/O, and the command line."""
