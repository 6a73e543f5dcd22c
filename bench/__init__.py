"""Benchmarks that print figures next to their targets (not tests): see README, make bench."""
