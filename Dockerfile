# One image for the web app (gunicorn), the Celery worker and Celery beat.
# docker-compose.yml picks the process with `command:`; the default below is the web server.
FROM python:3.11-slim-bookworm

# STATIC_ROOT lives outside /app/var: docker-compose.yml mounts a volume on /app/var, which
# would otherwise hide (or, once populated, freeze) the files collected at build time.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint needs Pango (text layout), HarfBuzz subsetting (font embedding) and at least
# one font; gettext provides msgfmt for `compilemessages`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user. It gets a home directory because fontconfig (WeasyPrint)
# wants a writable cache directory.
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so code changes don't invalidate this layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Build-time only settings: these values exist for this RUN step alone and are not
# baked into the image environment. The real ones come from the runtime environment.
RUN DEBUG=false \
    SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost \
    sh -c "python manage.py compilemessages && python manage.py collectstatic --noinput"

# Private file storage (generated reports); the only place the app user may write.
RUN mkdir -p /app/var && chown app:app /app/var

USER app

EXPOSE 8000

# The worker and beat containers override this in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"]

CMD ["gunicorn", "mentoring.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
