# The dashboard on its bundled data, following Streamlit's documented Docker pattern.
#   docker build -t chips-for-magnets .
#   docker run -p 8501:8501 chips-for-magnets
FROM python:3.11-slim

WORKDIR /app

# curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The app, its data and .streamlit/config.toml (what .dockerignore leaves out is not needed to serve).
COPY . .

RUN useradd --create-home --uid 10001 dashboard
USER dashboard

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl --fail http://localhost:8501/_stcore/health || exit 1

ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
