"""The assistant: query understanding, structured and extractive answers, API and CLI."""
