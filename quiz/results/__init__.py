"""Results: scores by outcome, downloads, feedback reports and item analysis."""
