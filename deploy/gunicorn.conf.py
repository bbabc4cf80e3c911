"""gunicorn settings for the web servers (deploy/decisions-web.service starts it with these).

Sync workers: a request that renders or signs a PDF holds one worker; run about two per core
(WEB_CONCURRENCY overrides). Database connections are kept between requests
(DATABASE_CONN_MAX_AGE), one per worker.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# Signing with a token and a timestamp service, or rendering a long decision, can take a while.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# The application is loaded before forking: workers share its memory and start fast.
preload_app = True
# nginx (or haproxy) in front passes the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
