"""Reference interval bounds from SciPy, an implementation independent of Soteria.

Regenerate:  python3 -m venv /tmp/ref && /tmp/ref/bin/pip install scipy==1.17.1
             /tmp/ref/bin/python tests/data/make_reference_intervals.py > tests/data/intervals_scipy.csv
Wilson and Clopper-Pearson: scipy.stats.binomtest(...).proportion_ci(method="wilson" | "exact").
Exact Poisson: chi-square quantiles (Garwood 1936) from scipy.stats.chi2.ppf.
Byar: Breslow and Day (1987) formula with scipy.stats.norm.ppf, as PHEindicatormethods.
"""
import math
from scipy import stats

print("method,x,n,level,lower,upper")
for level in (0.95, 0.998):
    for n in (1, 5, 10, 29, 100, 263, 1000, 25000):
        for x in sorted({0, 1, n // 7, n // 3, n // 2, n - 1, n}):
            for method, name in (("wilson", "wilson"), ("exact", "clopper-pearson")):
                ci = stats.binomtest(x, n).proportion_ci(confidence_level=level, method=method)
                print(f"{name},{x},{n},{level},{float(ci.low)!r},{float(ci.high)!r}")
    z = stats.norm.ppf(1 - (1 - level) / 2)
    for x in (0, 1, 2, 5, 9, 10, 11, 37, 120, 999, 54321):
        lo = 0.0 if x == 0 else stats.chi2.ppf((1 - level) / 2, 2 * x) / 2
        hi = stats.chi2.ppf(1 - (1 - level) / 2, 2 * x + 2) / 2
        print(f"poisson-exact,{x},,{level},{float(lo)!r},{float(hi)!r}")
        blo = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
        bhi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
        print(f"byar,{x},,{level},{float(max(blo, 0.0))!r},{float(bhi)!r}")
