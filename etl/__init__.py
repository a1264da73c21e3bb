"""Sortie ETL: news articles in, dated conflict events out (Parquet)."""

__version__ = "0.1.0"
