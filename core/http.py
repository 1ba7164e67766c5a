"""Request types for views that only run for a signed-in person.

`login_required` (and the `rules` permission decorators built on it) guarantee that
`request.user` is a `User`, not `AnonymousUser`; annotating such a view's request as
`AuthedRequest` tells the type checker the same thing.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    user: User
