"""Development only: `make run`'s stack (`python -m devstack.stack`: a private Redis, the web
server, a Celery worker and beat), its process supervision (`processes`), and the traffic
simulator (`simulator`, behind `manage.py simulate_traffic` and `make demo-traffic`).
Production processes never import this package."""
