"""Retrieval and grounded answering over the index: hybrid search, generation, citation checks."""
