"""Item banks: files, stored items and versions, paper assembly."""
