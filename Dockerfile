# softmax-playground: the Streamlit app in one image.
#   docker build -t softmax-playground .
#   docker run --rm -p 8501:8501 softmax-playground      -> http://localhost:8501
# Checked for real (hadolint, build, run, AppTest inside) by scripts/docker_check.sh.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed uid so volume permissions and `podman top`/`id -u` checks are predictable.
RUN useradd --create-home --uid 1000 --user-group --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: editing the code does not reinstall them.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root: the app user can read it but not change it.
COPY . .

# Numeric, so a runtime (or Kubernetes' runAsNonRoot) can tell it is not root without
# reading /etc/passwd.
USER 1000:1000

EXPOSE 8501

# python's urllib is already in the image, so the check needs no curl.
# It honours STREAMLIT_SERVER_PORT if the port is changed at run time.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('STREAMLIT_SERVER_PORT', '8501'); body = urllib.request.urlopen(f'http://127.0.0.1:{port}/_stcore/health', timeout=4).read(); sys.exit(0 if body == b'ok' else 1)"]

# Headless settings come from .streamlit/config.toml; the address must be 0.0.0.0 so the
# published port reaches the server (the default, localhost, is unreachable from outside).
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0"]
