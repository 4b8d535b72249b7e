"""Benchmarks with one fixed workload generator: they print figures beside a same-run baseline, never fail a build.

``python -m bench`` runs them all at a size that finishes in a few minutes; ``python -m bench --full`` at 1,000,000
actions. See the README's "Past one machine" for the production deployment the figures are meant for.
"""
