"""Writing: fact and document rows to Parquet, streaming and atomically."""
