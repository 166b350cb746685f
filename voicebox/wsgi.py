import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voicebox.settings.production")
# One thread for numpy's BLAS (the scoring of a search by meaning), read when numpy is first imported: a web worker
# answers on one core, and gunicorn runs about one worker per core. Two threads each in two workers searching at once
# made the matrix product 5-20 times slower on 2 busy cores, its threads spinning while they waited for a core.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

application = get_wsgi_application()
