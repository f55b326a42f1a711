"""Cross-cutting pieces shared by ingestion, retrieval and the app: settings, errors, models."""
