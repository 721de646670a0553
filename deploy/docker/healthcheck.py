"""Container health check: exit 0 iff the worker's ``/health`` answers 200.

The worker answers 200 once its tables are recovered and its agents run, 503
before that and while it stops.  Reads the same variable as the worker
(``STREAMS_WEB_PORT``, default 6066) and always asks loopback, whatever
``STREAMS_WEB_HOST`` binds.  Standard library only, so it costs no import of
the project.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def main() -> int:
    port = int(os.environ.get("STREAMS_WEB_PORT") or 6066)
    url = f"http://127.0.0.1:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            ok = response.status == 200
    except (OSError, ValueError) as exc:  # HTTPError (the 503 of a worker not ready) included
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
