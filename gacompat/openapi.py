"""The OpenAPI 3 schema of the GA-compatible endpoints, served at `/ga/openapi.json` (its Swagger
page is `/docs/ga`, linked from `/docs/api`). Written by hand: these views follow Google's
contracts, not DRF's, and the shapes below are those of docs/ga-compat.md and the spec
(../shared/spec/ga-realtime.md). Limits come from the modules that enforce them."""

from __future__ import annotations

from gacompat import ga4_enums, ga4_query, v3_query
from gacompat.params import MAX_QUOTA_USER_CHARS


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _enum(enum: ga4_enums.Enum) -> dict:
    """Protobuf's JSON mapping: the name, or the number (also as a string)."""
    names = list(enum.by_name)
    numbers = sorted(enum.by_number)
    return {"oneOf": [{"type": "string", "enum": names + [str(n) for n in numbers]},
                      {"type": "integer", "enum": numbers}],
            "description": f"`{enum.type_name.rsplit('/', 1)[-1]}`: by name or by number."}


OUTPUT_PARAMETERS = [
    _query("fields", "Partial response: Google's `fields` selector, e.g. `rows,totalsForAllResults`."),
    _query("prettyPrint", "Indented output (default true).", {"type": "boolean", "default": True}),
    _query("callback", "JSON-P callback name.", {"type": "string", "maxLength": 100,
                                                 "pattern": r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$"}),
    _query("alt", "Response format: only `json`.", {"type": "string", "enum": ["json"]}),
    _query("quotaUser", "Opaque per-user quota key.", {"type": "string", "maxLength": MAX_QUOTA_USER_CHARS}),
    _query("access_token", "The API key as an OAuth token in the query (instead of the header)."),
]

V3_ERRORS = {
    "400": "`invalidParameter` (a parameter's value; `location` names it), `badRequest` (the query), `required`",
    "401": "`required` (no token) or `authError` (unknown, malformed or revoked key)",
    "403": "`insufficientPermissions`, `dailyLimitExceeded`, `userRateLimitExceeded`",
    "500": "`internalServerError`: an unexpected failure (`status` INTERNAL)",
    "503": "`backendError`: the live state or the database cannot be reached",
}
GA4_ERRORS = {
    "400": "INVALID_ARGUMENT", "401": "UNAUTHENTICATED", "403": "PERMISSION_DENIED",
    "429": "RESOURCE_EXHAUSTED: a token quota, the quota user's rate, or the property's concurrent requests",
    "500": "INTERNAL: an unexpected failure", "503": "UNAVAILABLE: the live state or the database cannot be reached",
}


def _errors(table: dict[str, str], schema: str) -> dict:
    return {code: {"description": text, "content": {"application/json": {"schema": ref(schema)}}}
            for code, text in table.items()}


V3_PATH = {"get": {
    "operationId": "analytics.data.realtime.get",
    "summary": "Real Time Reporting API v3: real-time data for a view (tracker)",
    "tags": ["Real Time Reporting API v3"],
    "parameters": [
        _query("ids", "`ga:` and the view ID.", {"type": "string", "pattern": "^ga:[0-9]+$"}, required=True),
        _query("metrics", "Comma-separated metrics, e.g. `rt:activeUsers`.",
               {"type": "string", "pattern": "^(ga|rt):.+$"}, required=True),
        _query("dimensions", "Comma-separated dimensions, e.g. `rt:country,rt:deviceCategory`.",
               {"type": "string", "pattern": "^(ga|rt):.+$"}),
        _query("filters", "Filter expression (`;` AND, `,` OR; regexes on RE2, at most 128 characters).",
               {"type": "string", "pattern": "^(ga|rt):.+$"}),
        _query("sort", "Comma-separated sort keys; `-` for descending.", {"type": "string",
                                                                        "pattern": "^-?(ga|rt):.+$"}),
        _query("max-results", "Rows in this response.", {"type": "integer", "minimum": 1,
                                                        "maximum": v3_query.MAX_MAX_RESULTS,
                                                        "default": v3_query.DEFAULT_MAX_RESULTS}),
        _query("start-index", "1-based index of the first row (as in Core Reporting v3).",
               {"type": "integer", "minimum": 1, "maximum": v3_query.MAX_INT32, "default": 1}),
        *OUTPUT_PARAMETERS,
    ],
    "responses": {"200": {"description": "Google's `RealtimeData`",
                          "content": {"application/json": {"schema": ref("RealtimeData")}}},
                  **_errors(V3_ERRORS, "V3Error")},
}}


def _ga4_path(version: str) -> dict:
    return {"post": {
        "operationId": f"analyticsdata.properties.runRealtimeReport.{version}",
        "summary": f"GA4 Data API {version}: a realtime report of a property (tracker)",
        "tags": ["GA4 Data API"],
        "parameters": [
            {"name": "propertyId", "in": "path", "required": True, "description": "The view ID of the tracker.",
             "schema": {"type": "string", "pattern": "^[0-9]+$"}},
            _query("$alt", "Google's clients send `json;enum-encoding=int`; enums are read either way."),
            *OUTPUT_PARAMETERS,
        ],
        "requestBody": {"required": False, "content": {"application/json": {"schema": ref("RunRealtimeReportRequest")}}},
        "responses": {"200": {"description": "The report", "content": {
            "application/json": {"schema": ref("RunRealtimeReportResponse")}}},
            **_errors(GA4_ERRORS, "Ga4Error")},
    }}


def _object(properties: dict, required: list[str] | None = None, extra: bool = False) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": extra}
    if required:
        out["required"] = required
    return out


STRING, BOOLEAN = {"type": "string"}, {"type": "boolean"}
INT_OR_STRING = {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]}
NUMERIC_VALUE = _object({"int64Value": INT_OR_STRING, "doubleValue": {"oneOf": [{"type": "number"}, STRING]}})
ROW = _object({"dimensionValues": {"type": "array", "items": _object({"value": STRING})},
               "metricValues": {"type": "array", "items": _object({"value": STRING})}})
QUOTA_STATUS = _object({"consumed": {"type": "integer"}, "remaining": {"type": "integer"}})

SCHEMAS = {
    "RealtimeData": _object({
        "kind": {"type": "string", "enum": ["analytics#realtimeData"]}, "id": STRING, "selfLink": STRING,
        "query": _object({"ids": STRING, "dimensions": STRING, "metrics": {"type": "array", "items": STRING},
                          "sort": {"type": "array", "items": STRING}, "filters": STRING,
                          "max-results": {"type": "integer"}, "start-index": {"type": "integer"}}),
        "totalResults": {"type": "integer"},
        "profileInfo": _object({k: STRING for k in ("profileId", "accountId", "webPropertyId",
                                                    "internalWebPropertyId", "profileName", "tableId")}),
        "columnHeaders": {"type": "array", "items": _object({
            "name": STRING, "columnType": {"type": "string", "enum": ["DIMENSION", "METRIC"]}, "dataType": STRING})},
        "totalsForAllResults": {"type": "object", "additionalProperties": STRING},
        "rows": {"type": "array", "items": {"type": "array", "items": STRING},
                 "description": "Left out when there are no rows. Every cell is a string."},
    }),
    "V3Error": _object({"error": _object({
        "code": {"type": "integer"}, "message": STRING, "status": STRING,
        "errors": {"type": "array", "items": _object({"domain": STRING, "reason": STRING, "message": STRING,
                                                      "locationType": STRING, "location": STRING})},
    }, ["code", "message", "errors"])}, ["error"]),
    "Ga4Error": _object({"error": _object({"code": {"type": "integer"}, "message": STRING, "status": STRING},
                                          ["code", "message", "status"])}, ["error"]),
    "FilterExpression": {**_object({
        "andGroup": ref("FilterExpressionList"), "orGroup": ref("FilterExpressionList"),
        "notExpression": ref("FilterExpression"), "filter": ref("Filter")}),
        "description": "Exactly one member. Nested at most 100 levels of JSON."},
    "FilterExpressionList": _object({"expressions": {"type": "array", "items": ref("FilterExpression")}}),
    "Filter": _object({
        "fieldName": STRING,
        "stringFilter": _object({"matchType": _enum(ga4_enums.MATCH_TYPE), "value": STRING,
                                 "caseSensitive": BOOLEAN}),
        "inListFilter": _object({"values": {"type": "array", "items": STRING}, "caseSensitive": BOOLEAN}),
        "numericFilter": _object({"operation": _enum(ga4_enums.OPERATION), "value": NUMERIC_VALUE}),
        "betweenFilter": _object({"fromValue": NUMERIC_VALUE, "toValue": NUMERIC_VALUE}),
        "emptyFilter": _object({}),
    }, ["fieldName"]),
    "RunRealtimeReportRequest": _object({
        "dimensions": {"type": "array", "maxItems": ga4_query.MAX_DIMENSIONS, "items": _object({"name": STRING})},
        "metrics": {"type": "array", "maxItems": ga4_query.MAX_METRICS,
                    "items": _object({"name": STRING, "invisible": BOOLEAN})},
        "dimensionFilter": ref("FilterExpression"), "metricFilter": ref("FilterExpression"),
        "limit": {**INT_OR_STRING, "description": f"Positive; default {ga4_query.DEFAULT_LIMIT}, capped at "
                                                  f"{ga4_query.MAX_LIMIT}."},
        "metricAggregations": {"type": "array", "items": _enum(ga4_enums.METRIC_AGGREGATION)},
        "orderBys": {"type": "array", "items": _object({
            "desc": BOOLEAN, "metric": _object({"metricName": STRING}),
            "dimension": _object({"dimensionName": STRING, "orderType": _enum(ga4_enums.ORDER_TYPE)})})},
        "returnPropertyQuota": BOOLEAN,
        "minuteRanges": {"type": "array", "maxItems": 2, "items": _object({
            "name": STRING,
            "startMinutesAgo": {"type": "integer", "minimum": 0, "maximum": ga4_query.MAX_MINUTES_AGO},
            "endMinutesAgo": {"type": "integer", "minimum": 0, "maximum": ga4_query.MAX_MINUTES_AGO}})},
    }),
    "RunRealtimeReportResponse": _object({
        "dimensionHeaders": {"type": "array", "items": _object({"name": STRING})},
        "metricHeaders": {"type": "array", "items": _object({"name": STRING, "type": {
            "type": "string", "enum": ["TYPE_INTEGER"],
            "description": "`MetricType`, always by name: every client's parser accepts names."}})},
        "rows": {"type": "array", "items": ROW}, "totals": {"type": "array", "items": ROW},
        "maximums": {"type": "array", "items": ROW}, "minimums": {"type": "array", "items": ROW},
        "rowCount": {"type": "integer"},
        "propertyQuota": _object({k: QUOTA_STATUS for k in (
            "tokensPerDay", "tokensPerHour", "concurrentRequests", "serverErrorsPerProjectPerHour",
            "potentiallyThresholdedRequestsPerHour", "tokensPerProjectPerHour")}),
        "kind": {"type": "string", "enum": ["analyticsData#runRealtimeReport"]},
    }),
}


def schema() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "NowMetrix: Google Analytics compatible APIs", "version": "1.0.0",
                 "description": "Google's Real Time Reporting API v3 and the GA4 Data API's runRealtimeReport, "
                                "answered from NowMetrix's live state. A NowMetrix API key is the OAuth token. "
                                "What differs from Google: docs/ga-compat.md. The `/v1` API: [/docs/api](/docs/api)."},
        "servers": [{"url": "/"}],
        "security": [{"apiKey": []}, {"accessToken": []}],
        "paths": {
            "/analytics/v3/data/realtime": V3_PATH,
            "/v1beta/properties/{propertyId}:runRealtimeReport": _ga4_path("v1beta"),
            "/v1alpha/properties/{propertyId}:runRealtimeReport": _ga4_path("v1alpha"),
        },
        "components": {
            "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer", "description": "A NowMetrix API key (`nm_...`)."},
                "accessToken": {"type": "apiKey", "in": "query", "name": "access_token"},
            },
            "schemas": SCHEMAS,
        },
    }
