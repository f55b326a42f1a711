"""Knowledge-base ingestion: load → scrub → chunk → embed → index, each step its own module."""
