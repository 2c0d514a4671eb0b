"""The peak resident set size of this process, for benches that report memory.

Read from `VmHWM` in /proc/self/status, which starts again at exec. `ru_maxrss` does not
(it survives execve, see getrusage(2)): a child started from a bench process that holds a
whole store would report the parent's RSS as its own. Elsewhere than Linux, `ru_maxrss`.
Kept free of heavy imports, so a measured child pays nothing for importing it.
"""

from __future__ import annotations

import resource
from pathlib import Path

_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """This process's peak RSS in MiB."""
    if _STATUS.is_file():
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
