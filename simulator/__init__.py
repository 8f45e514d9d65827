"""Demo source-system simulator: writes a calibrated, person-level world per the extract contract.

`simulate(out, scale, seed, through, faults, progress)` writes `out/inbox/...`,
`out/erp/<ORG>.sqlite` and `out/truth/`; see docs/simulator.md.
"""
from __future__ import annotations

import ctypes
import gc
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Callable

import pyarrow as pa

from .common import day
from .common import deliveries as delivery_dates

SCALES = {"S": 1.0, "M": 5.0, "L": 20.0, "XL": 68.0}
# months between deliveries: the contract does not fix the cadence; yearly full snapshots keep
# the national sizes (L, XL) at a row count and run time that fit a build machine
CADENCE = {"S": 3, "M": 3, "L": 12, "XL": 12}


def release_memory() -> None:
    """What was freed back to the system: pyarrow's pool and glibc keep the memory Arrow, Python and numpy freed
    (about 4 GB at national scale once the world is gone), and the next source would come on top of it. The
    world's parts refer to each other, hence the collection first."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator decides
        pass


def simulate(out: Path, scale: str = "S", seed: int = 2015, through: date = date(2024, 12, 31), faults: bool = True,
             progress: Callable[[str], None] = print) -> dict:
    """Write the demo world to `out`; returns rows per file/table, seconds and rows per second."""
    from . import cbs, hr, kcc, tevredenheid, truth, zaken
    from .betalingen import Betalingen
    from .deliveries import FaultLog, HeldLog, Writer
    from .erp import Erp
    from .hr import Hr
    from .inburgering import Inburgering
    from .maatregelen import Maatregelen
    from .reintegratie import Reintegratie
    from .schuldhulp import Schuldhulp
    from .world import World

    if scale not in SCALES:
        raise ValueError(f"onbekende schaal '{scale}' (kies uit {', '.join(SCALES)})")
    t0 = time.perf_counter()
    out = Path(out)
    for sub in ("inbox", "erp", "truth"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "truth").mkdir(parents=True)
    progress(f"simulator: schaal {scale}, seed {seed}, t/m {through.isoformat()}, fouten {'aan' if faults else 'uit'}")
    w = World(seed, SCALES[scale], through)
    w.build(progress)
    w.schuldhulp = Schuldhulp(w)
    w.schuldhulp.build()
    w.reintegratie = Reintegratie(w)
    w.reintegratie.build()
    w.finish_persons()
    w.inburgering = Inburgering(w, faults)
    w.inburgering.build()
    w.maatregelen = Maatregelen(w, faults)
    w.maatregelen.build()
    w.betalingen = Betalingen(w)
    t_world = time.perf_counter() - t0
    progress(f"  wereld opgebouwd in {t_world:.1f}s: {len(w.personen):,} personen")
    log = FaultLog(out / "truth") if faults else None
    writer = Writer(w, out, seed, faults, log)
    erp = Erp(w, out, faults, log)
    payments = truth.PaymentSummary(w)
    dates = delivery_dates(through, CADENCE[scale])
    resend = {dates[-3]} if faults and len(dates) >= 3 else set()
    previous = None
    for k, cut in enumerate(dates):
        t1 = time.perf_counter()
        final = k == len(dates) - 1
        writer.next_cut = day(dates[k + 1]) if not final else day(cut)
        writer.next_folder = dates[k + 1].strftime("%Y%m%d") if not final else cut.strftime("%Y%m%d")
        before = sum(writer.rows.values())
        writer.delivery(k, cut, final, previous)
        erp.add_payments(writer.payments_window)
        payments.add(writer.payments_window)
        rows = sum(writer.rows.values()) - before
        dt = time.perf_counter() - t1
        progress(f"  levering {cut:%Y%m%d}: {rows:,} regels in {dt:.1f}s ({rows / max(dt, 1e-9):,.0f} regels/s)")
        previous = cut
    writer.close()
    for cut in sorted(resend):
        folder = cut.strftime("%Y%m%d")
        for system in ("civision", "schuldhulp", "reintegratie"):
            src = out / "inbox" / system / folder
            for f in sorted(p for p in src.iterdir() if p.name != "_READY"):
                f.write_bytes(f.read_bytes())
            (src / "_READY").write_bytes(b"")
            log.add(system, "levering", [folder], "levering_herhaald", folder,
                    f"levering {folder} opnieuw aangeleverd met dezelfde inhoud")
    rows = dict(writer.rows)
    erp.write()
    rows.update(erp.rows)
    progress("  ERP-databases geschreven")
    cbs.write(out, through)
    # what reads the core world runs now (truth, the world's late findings), then the world is released but what
    # the zaken's measures need, and each later source built, written and released in turn: at national scale their
    # memory would otherwise add up. Findings are held where needed to keep the order of faults.csv.
    truth.write(w, out, dates[-1], payments, progress)
    core_later, zaken_later = HeldLog(), HeldLog()
    zaken_dates = delivery_dates(through, zaken.CADENCE_MONTHS)
    if log:
        w.inburgering.log_faults(core_later, [(d.strftime("%Y%m%d"), day(d)) for d in dates])
        w.maatregelen.log_faults(core_later, dates)
    del writer, erp, payments
    w.release(keep=("dossiers", "personen", "maatregelen"))
    release_memory()
    zaken_world = zaken.Zaken(seed, SCALES[scale], through, faults)
    zaken_world.build()
    w.maatregelen.tag_zaken(zaken_world)
    if log:
        w.maatregelen.log_zaken_faults(core_later, zaken_dates)
    del w
    release_memory()
    rows_zaken = zaken.write(zaken_world, out, zaken_later if log else None)
    del zaken_world
    release_memory()
    progress(f"  zaken: {sum(rows_zaken.values()):,} zaken in {len(zaken_dates)} dumps")
    hr_world = Hr(seed, SCALES[scale], through)
    hr_world.build()
    rows_hr = hr.write(hr_world, out, dates, faults, log)
    del hr_world
    release_memory()
    progress(f"  hr: {sum(rows_hr.values()):,} regels in {len(dates)} leveringen")
    kcc_world = kcc.Kcc(seed, SCALES[scale], through, faults)
    kcc_world.build()
    rows_kcc = kcc.write(kcc_world, out, faults, log)
    del kcc_world
    release_memory()
    progress(f"  kcc: {sum(rows_kcc.values()):,} regels in {len(kcc.delivery_dates(through))} leveringen")
    tv = tevredenheid.Tevredenheid(seed, SCALES[scale], through, faults)
    tv.build(log)
    rows_tv = tevredenheid.write(tv, out)
    progress(f"  tevredenheid: {sum(rows_tv.values()):,} regels in {len(tv.deliveries())} leveringen")
    del tv
    if log:
        zaken_later.replay(log)
        core_later.replay(log)
        log.close()
    seconds = time.perf_counter() - t0
    rows.update(rows_hr)
    rows.update(rows_kcc)
    rows.update(rows_tv)
    rows.update(rows_zaken)
    total = sum(rows.values())
    summary = {"scale": scale, "seed": seed, "through": through.isoformat(), "faults": faults, "rows": rows,
               "rows_total": total, "fault_rows": log.count if log else 0, "seconds": round(seconds, 2),
               "rows_per_second": round(total / seconds), "deliveries": len(dates)}
    progress(f"simulator klaar: {total:,} regels in {seconds:.1f}s ({total / seconds:,.0f} regels/s)")
    return summary
