"""Celery tasks: thin, idempotent, time-limited; each calls one service."""

from celery import shared_task

from connectors import delivery, evaluation


@shared_task(name="connectors.tasks.evaluate", ignore_result=True, time_limit=60, soft_time_limit=50)
def evaluate() -> int:
    return evaluation.evaluate()


# acks_late: a worker killed before it claims the delivery leaves the message to be delivered
# again; after the claim, `delivery_attempt` makes the copy a no-op (never a second post).
@shared_task(bind=True, name="connectors.tasks.deliver", ignore_result=True, acks_late=True, max_retries=None,
             time_limit=60, soft_time_limit=50)
def deliver(self, delivery_id: int) -> str:
    attempt = delivery.delivery_attempt(delivery_id)
    if attempt.retry_in_secs is not None:
        raise self.retry(countdown=attempt.retry_in_secs)
    return attempt.status
