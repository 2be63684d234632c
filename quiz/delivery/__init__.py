"""Delivering tests: sittings, attempts, the clock, the candidate's pages."""
