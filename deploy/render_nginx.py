"""Render deploy/nginx/voicebox.conf for this deployment.

    DJANGO_SETTINGS_MODULE=voicebox.settings.production .venv/bin/python deploy/render_nginx.py \
        --certificate /etc/letsencrypt/live/voicebox.example.org/fullchain.pem \
        --certificate-key /etc/letsencrypt/live/voicebox.example.org/privkey.pem > /etc/nginx/sites-enabled/voicebox

Host names, STATIC_ROOT, MEDIA_ROOT and the body-size cap come from Django's settings (the same environment the
web service runs with), so nginx and Voicebox cannot disagree about them; ports, certificate, upstream and log
folder are options. Run it again after changing VOICEBOX_MAX_UPLOAD_MB, then `nginx -t && systemctl reload nginx`.
"""

import argparse
import os
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "nginx" / "voicebox.conf"
# Room for the share form's other fields and the multipart framing around the recording.
FORM_ALLOWANCE_BYTES = 1024 * 1024


def render(
    *,
    certificate: str,
    certificate_key: str,
    upstream: str = "127.0.0.1:8000",
    listen_address: str = "",
    http_port: int = 80,
    https_port: int = 443,
    log_dir: str = "/var/log/nginx",
) -> str:
    from django.conf import settings

    server_names = " ".join(host for host in settings.ALLOWED_HOSTS if host != "*") or "_"
    values = {
        "SERVER_NAME": server_names,
        "LISTEN_ADDRESS": f"{listen_address}:" if listen_address else "",
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "HTTPS_PORT_SUFFIX": "" if https_port == 443 else f":{https_port}",
        "TLS_CERTIFICATE": certificate,
        "TLS_CERTIFICATE_KEY": certificate_key,
        "UPSTREAM": upstream,
        "LOG_DIR": log_dir,
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MAX_UPLOAD_MB": str(settings.VOICEBOX_MAX_UPLOAD_BYTES // (1024 * 1024)),
        "CLIENT_MAX_BODY_SIZE": f"{(settings.VOICEBOX_MAX_UPLOAD_BYTES + FORM_ALLOWANCE_BYTES) // 1024}k",
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--certificate-key", required=True)
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's address (GUNICORN_BIND)")
    parser.add_argument("--listen-address", default="", help="address to listen on (default: all)")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--log-dir", default="/var/log/nginx")
    options = parser.parse_args()

    sys.path.insert(0, str(DEPLOY.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voicebox.settings.production")
    import django

    django.setup()
    sys.stdout.write(render(**{name: value for name, value in vars(options).items()}))


if __name__ == "__main__":
    main()
