"""SKM computation speed on 100 000 responses (parsing excluded). Run: python bench/skm.py

Compares `skm.score` (integer counts per unsur in C, one Fraction per unsur) with the naive way
(a Fraction added per answer), checks that both give the same index, and times a whole
`skm.summarise` with per-service and per-semester groups. Goal: under one second.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from fractions import Fraction

from sp_builder.survey import skm
from sp_builder.survey.responses import Respondent, SurveyFile

N = 100_000
SERVICES = ("ktp-el", "kartu-keluarga", "akta-kelahiran", "akta-kematian", "pindah-datang")


def responses(n: int, seed: int = 14) -> list[Respondent]:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    rows = []
    for _ in range(n):
        answers = tuple(0 if rng.random() < 0.03 else rng.choice((1, 2, 3, 3, 4, 4, 4)) for _ in range(9))
        if not any(answers):
            answers = (3,) * 9
        rows.append(Respondent(answers, start + dt.timedelta(days=rng.randrange(730)), rng.choice(SERVICES)))
    return rows


def naive_index(answers: list[tuple[int, ...]]) -> Fraction:
    """Per row, per unsur: add a Fraction; then NRR = sum / count and IKM = mean of NRR."""
    sums = [Fraction(0)] * 9
    counts = [0] * 9
    for row in answers:
        for i, answer in enumerate(row):
            if answer:
                sums[i] += Fraction(answer)
                counts[i] += 1
    nrr = [s / c for s, c in zip(sums, counts) if c]
    return sum(nrr, Fraction(0)) / len(nrr)


def best_of(runs: int, func, *args) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        value = func(*args)
        best = min(best, time.perf_counter() - started)
    return best, value


def main() -> None:
    rows = responses(N)
    answers = [r.answers for r in rows]
    fast, ikm = best_of(5, skm.score, answers)
    slow, naive = best_of(1, naive_index, answers)
    assert naive == ikm.ikm, (naive, ikm.ikm)
    survey = SurveyFile("bench.csv", tuple(rows), frozenset({"tanggal", "layanan"}))
    whole, (result, _) = best_of(3, lambda: skm.summarise([survey], today=dt.date(2026, 1, 1)))
    print(f"{N:,} respons, 9 unsur (parsing tidak dihitung)")
    print(f"  skm.score           : {fast * 1000:8.1f} ms   IKM {ikm.nilai} mutu {ikm.mutu.mutu}")
    print(f"  naif (Fraction/baris): {slow * 1000:8.1f} ms   hasil sama: {naive == ikm.ikm}")
    print(f"  rasio               : {slow / fast:8.1f}×")
    print(f"  skm.summarise       : {whole * 1000:8.1f} ms   ({len(result.per_layanan)} layanan, "
          f"{len(result.per_periode)} semester)   target < 1000 ms")


if __name__ == "__main__":
    main()
