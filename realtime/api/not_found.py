"""Unknown paths under /v1/ answer 404 in the API's error format, whatever the method."""

from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from realtime.api.errors import NotFound


@extend_schema(exclude=True)
class NotFoundView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound()

    def get(self, request, *args, **kwargs):
        raise NotFound()
