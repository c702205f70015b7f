"""Extractors: one reader per kind of submission, each turning a file into an Extraction."""
