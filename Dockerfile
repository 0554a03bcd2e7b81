# The playground as a container: slim Python, a non-root user, the app's own Streamlit config baked in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt && useradd --create-home --uid 10001 playground

COPY --chown=playground:playground app.py serve.py ./
COPY --chown=playground:playground nn_core ./nn_core
COPY --chown=playground:playground playground ./playground
COPY --chown=playground:playground static ./static
COPY --chown=playground:playground .streamlit ./.streamlit

USER playground
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health').read() != b'ok')"

CMD ["python", "serve.py", "--server.address=0.0.0.0", "--server.port=8501"]
