"""Generation backends: embedded (llama.cpp in-process), ollama, and their weights."""
