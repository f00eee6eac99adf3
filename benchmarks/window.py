"""The window's targets (``make bench``): frame time, start-up and memory.

- frame time on the call screen with a 40-turn transcript at 1920×1080, idle, while the
  customer's line animates, and with an answer half typed in the box: p99 ≤ 4 ms;
- process start to first drawn frame ≤ 1 s; resident memory ≤ 200 MB;
- an idle window (the picker, the end screen) in the real main loop: under 5% of a core.
Runs under SDL's dummy video driver, so it measures our drawing, not a GPU.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = r"""
import sys, time, resource
start = float(sys.argv[1])
sys.path.insert(0, sys.argv[2]); sys.path.insert(0, sys.argv[2] + "/benchmarks")
import pygame
from window import long_call_app
app = long_call_app(lambda: 0.0)
app.draw()
pygame.display.flip()
first = time.time() - start
for _ in range(120):
    app.draw()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{first:.3f} {rss:.1f}")
"""


IDLE = r"""
import sys, time, resource
sys.path.insert(0, sys.argv[1])
import pygame
from simulator.window.app import App
from simulator.window.run import _start_pygame, main_loop
from simulator.window.settings import Settings
from simulator.core.engine import Engine
from simulator.window.session import Call
_start_pygame()
app = App(pygame.display.set_mode((1920, 1080)), settings=Settings(trainee="bench", language="en"), headless=True)
if sys.argv[2] == "end":
    scenario = app.scenarios[0]
    eng = Engine(scenario)
    state = eng.start("en", 0)
    while not state.over:
        state = eng.choose_response(state, 0)
    app.call = Call(scenario, eng, state, None, "", revealed=True)
    app.show_call()
app.draw()  # the first frame (text rendering) is start-up, not idling
pygame.time.set_timer(pygame.event.Event(pygame.QUIT), 3000, loops=1)
start, cpu = time.perf_counter(), time.process_time()
main_loop(app)
print(f"{(time.process_time() - cpu) / (time.perf_counter() - start) * 100:.2f}")
"""


def idle_cpu(screen: str) -> float:
    """Share of one core (%) the real main loop uses for 3 s on an idle ``screen`` (picker or end)."""
    done = subprocess.run([sys.executable, "-c", IDLE, str(ROOT), screen], capture_output=True, text=True,
                          timeout=60, env={**os.environ})
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return float(done.stdout.split()[-1])


def long_call_app(clock):
    """A 1920×1080 window on the call screen of a call 40 turns long."""
    import pygame
    from generate import scenario_yaml

    from simulator.core import loader
    from simulator.core.engine import Engine
    from simulator.window.app import App, Call
    from simulator.window.run import _start_pygame
    from simulator.window.settings import Settings

    _start_pygame()
    surface = pygame.display.set_mode((1920, 1080))
    scenario = loader.load_text(scenario_yaml(50, width=1), "long.yaml")[0]
    app = App(surface, settings=Settings(trainee="bench", language="en"), headless=True, clock=clock)
    eng = Engine(scenario)
    state = eng.start("en", 0)
    for _ in range(40):
        state = eng.choose_response(state, 0)
    app.call = Call(scenario, eng, state, None, "", reveal_from=-1e9)
    app.show_call()
    return app


def main() -> int:
    import pygame

    clock = [0.0]
    app = long_call_app(lambda: clock[0])

    def measure(frames: int, animate: bool) -> list[float]:
        times = []
        if animate:
            app.call.reveal_from = clock[0]
        for _ in range(frames):
            if animate:
                clock[0] += 1 / 60
                if app.line_complete():  # start the line again: keep animating
                    app.call.reveal_from = clock[0]
            start = time.perf_counter()
            app.draw()
            pygame.display.flip()
            times.append((time.perf_counter() - start) * 1000)
        return sorted(times)

    measure(30, False)  # warm the text cache, as the first second of a call does
    idle = measure(600, False)
    animating = measure(600, True)
    # The same call answered by typing, an answer half written in the box: the trainee thinking.
    app.settings.answer = "free"
    app.call.reveal_from = -1e9
    app.draw()  # a new turn's first frame empties the box
    next(s for s in app.stack if s.name == "call").free.box.insert("I can hear how much this bill has upset")
    measure(30, False)
    typing = measure(600, False)
    pygame.quit()

    def p99(xs: list[float]) -> float:
        return xs[int(len(xs) * 0.99) - 1]

    start = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, str(start), str(ROOT)], capture_output=True, text=True,
                          timeout=60, env={**os.environ})
    if done.returncode != 0:
        print(done.stderr)
        return 1
    first, rss = (float(x) for x in done.stdout.split())
    idle_picker, idle_end = idle_cpu("picker"), idle_cpu("end")
    ok = (max(p99(idle), p99(animating), p99(typing)) <= 4 and first <= 1.0 and rss <= 200
          and max(idle_picker, idle_end) < 5)
    print("window benchmark (1920×1080, 40-turn transcript, dummy video driver)")
    print(f"  frame time idle:       median {idle[len(idle) // 2]:.2f} ms, p99 {p99(idle):.2f} ms   (≤ 4 ms)")
    print(f"  frame time animating:  median {animating[len(animating) // 2]:.2f} ms, "
          f"p99 {p99(animating):.2f} ms   (≤ 4 ms)")
    print(f"  frame time typing:     median {typing[len(typing) // 2]:.2f} ms, p99 {p99(typing):.2f} ms   (≤ 4 ms; "
          "an answer half typed, nothing pressed)")
    print(f"  process start to first frame: {first:.2f} s   (≤ 1 s)")
    print(f"  resident memory (max): {rss:.0f} MB   (≤ 200 MB)")
    print(f"  idle CPU in the main loop: picker {idle_picker:.1f}%, end screen {idle_end:.1f}% of a core   (< 5%)")
    print("  verdict:", "ok" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
