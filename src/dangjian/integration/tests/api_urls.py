"""The site's URLs with the integration router mounted on a test API at /test-api/v1/ (the router is wired into
the real API by the app's contrib.py; this lets the tests run whether or not it is wired yet)."""

from django.urls import path
from ninja import NinjaAPI

from dangjian.api.auth import TokenAuth
from dangjian.api.urls import api
from dangjian.integration.api import router
from dangjian.urls import urlpatterns as site

test_api = NinjaAPI(title="test", version="test-integration", urls_namespace="test_integration_api", auth=TokenAuth())
test_api._exception_handlers = dict(api._exception_handlers)
test_api.add_router("/v1/", router, url_name_prefix="test_integration")

urlpatterns = [path("test-api/", test_api.urls), *site]
