"""Effects and subject codecs register themselves when their module is imported; the engine
and the exchange import the modules listed in their PROVIDERS tuples. A module that registers
but is not listed would work in tests (which import it) and silently not at an office whose
bundle carries only a reply step. These contracts keep the lists complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.services import dispatch
from app.services.exchange import subjects

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"


def _modules_calling(needle: str, skip: set[str]) -> set[str]:
    found = set()
    for path in SERVICES.rglob("*.py"):
        name = ".".join(path.relative_to(SERVICES.parent.parent).with_suffix("").parts)
        if name not in skip and needle in path.read_text(encoding="utf-8"):
            found.add(name)
    return found


def test_every_module_registering_step_effects_is_listed():
    registering = _modules_calling("on_step(", {"app.services.dispatch"})
    assert registering and registering <= set(dispatch.EFFECT_PROVIDERS)


def test_every_module_registering_a_subject_codec_is_listed():
    registering = _modules_calling("register(SubjectCodec(", {"app.services.exchange.subjects"})
    assert registering and registering <= set(subjects.PROVIDERS)


def test_a_fresh_process_loads_every_effect_from_the_engine_alone():
    script = (
        "from app.services import dispatch\n"
        "dispatch._effects('referral', 'accept')\n"
        "print(sorted({k for k, _ in dispatch._EFFECTS}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "'referral'" in out.stdout and "'key_element_consent'" in out.stdout
