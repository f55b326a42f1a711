"""Case analysis: trafficking indicators, legal elements, similar cases, actors and patterns across case law."""
