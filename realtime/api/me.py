"""`GET /api/me`: who the caller is and which trackers it can reach."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trackers import selectors
from realtime.api.errors import ErrorSerializer
from realtime.api.authentication import ApiKeyAuthentication, AppSessionAuthentication, KeyUser
from trackers.current import TRACKER_SESSION_KEY, current_membership

NO_STORE = "no-store, no-cache, must-revalidate, max-age=0"


def _tracker_row(tracker) -> dict:
    return {"tracker": tracker.public_id, "host": tracker.primary_host, "view_id": tracker.view_id}


class MeView(APIView):
    authentication_classes = [ApiKeyAuthentication, AppSessionAuthentication]

    @extend_schema(
        summary="Who am I",
        description="The caller and the trackers it can reach. `view_id` is the tracker's numeric ID for the "
        "Google Analytics compatible APIs (`ga:<view_id>`, `properties/<view_id>`).",
        responses={200: inline_serializer(
            "Me",
            {
                "authenticated": serializers.BooleanField(),
                "current_tracker": serializers.CharField(allow_null=True),
                "trackers": inline_serializer(
                    "MeTracker",
                    {"tracker": serializers.CharField(), "host": serializers.CharField(), "view_id": serializers.IntegerField()},
                    many=True,
                ),
            },
        ), 401: OpenApiResponse(ErrorSerializer, description="`missing_token` or `invalid_token` (no key and no "
                                                                  "session, or a bad key)."),
            503: OpenApiResponse(ErrorSerializer, description="`service_unavailable`: the database is down.")},
    )
    def get(self, request):
        if isinstance(request.user, KeyUser):
            trackers = list(selectors.tracker_list_for_grant(grant=request.user.grant))
            selected = None
        else:
            membership = current_membership(request)
            trackers = list(selectors.tracker_list_for_member(membership=membership)) if membership else []
            selected = request.session.get(TRACKER_SESSION_KEY)
        ids = [t.public_id for t in trackers]
        current = selected if selected in ids else (ids[0] if ids else None)
        body = {"authenticated": True, "current_tracker": current, "trackers": [_tracker_row(t) for t in trackers]}
        return Response(body, headers={"Cache-Control": NO_STORE})
