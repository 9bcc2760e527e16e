"""Lexical and dense indexes, their persistence and hybrid search (no HTTP, no LLM)."""
