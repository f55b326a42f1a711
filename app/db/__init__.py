"""The app's database: SQLAlchemy models, the engine, Alembic migrations and the one-time import of old files."""
