"""HTTP layer: thin FastAPI routes over ``MetadataService``."""
