"""Scoring attempts and analysing items."""
