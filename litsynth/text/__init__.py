"""Text utilities shared by ingestion, extraction and verification."""
