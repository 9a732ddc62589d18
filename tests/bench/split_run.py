import sys, os, time, resource, tempfile, glob
from pathlib import Path
from tui.store import Store
from tui.importer import Importer
n = int(sys.argv[1]); prof = len(sys.argv) > 2
files = sorted(glob.glob('/tmp/nr-bench-10000-bh97j8co/articles/*.txt'))[:n]
d = tempfile.mkdtemp()
store = Store(Path(d)/'x.db')
imp = Importer(store)
if prof:
    import cProfile; pr = cProfile.Profile(); pr.enable()
t = time.perf_counter()
s = imp.import_paths(files, workers=2)
w = time.perf_counter() - t
if prof:
    pr.disable(); import pstats; pstats.Stats(pr).sort_stats('tottime').print_stats(35)
self_ = resource.getrusage(resource.RUSAGE_SELF); ch = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{n} in {w:.1f}s = {n/w:.0f}/s; main cpu {(self_.ru_utime+self_.ru_stime)*1000/n:.2f} ms/art, workers {(ch.ru_utime+ch.ru_stime)*1000/n:.2f} ms/art")
