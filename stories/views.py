from django.shortcuts import render


def rate_limited(request, exception=None):
    """Shown when a client has made too many requests; kind words and a time to come back."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
