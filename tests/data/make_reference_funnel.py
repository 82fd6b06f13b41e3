"""Reference funnel limits from SciPy, independent of Soteria's code.

Exact binomial limits with Spiegelhalter's interpolation (Spiegelhalter 2005, Statistics
in Medicine 24:1185-1202, appendix A.1.1): r = qbinom(q, n, theta);
alpha = (F(r) - q) / (F(r) - F(r - 1)); limit = (r - alpha) / n.
Overdispersed limits as NHS-R FunnelPlotR for proportions: z-scores on the arcsine
square-root scale, 10% winsorisation (type-7 quantiles), phi = mean(z_w^2),
tau2 = max(0, (k phi - (k - 1)) / (sum w - sum w^2 / sum w)) with w = 4n, limits
sin^2(theta +/- z sqrt(1/(4n) + tau2)).

Regenerate: /tmp/ref/bin/python tests/data/make_reference_funnel.py > tests/data/funnel_scipy.csv
"""
import math

import numpy as np
from scipy import stats

units = [("A", 12, 150), ("B", 30, 160), ("C", 9, 40), ("D", 55, 400), ("E", 3, 25),
         ("F", 80, 510), ("G", 20, 95), ("H", 41, 230), ("I", 7, 120), ("J", 66, 300)]
x = np.array([u[1] for u in units], dtype=float)
n = np.array([u[2] for u in units], dtype=float)
theta = x.sum() / n.sum()


def exact(q, size):
    r = stats.binom.ppf(q, size, theta)
    fr, fr1 = stats.binom.cdf(r, size, theta), stats.binom.cdf(r - 1, size, theta)
    alpha = (fr - q) / (fr - fr1) if fr > fr1 else 0.0
    return min(max((r - alpha) / size, 0.0), 1.0)


t = math.asin(math.sqrt(theta))
z = (np.arcsin(np.sqrt(x / n)) - t) * 2 * np.sqrt(n)
lo, hi = np.quantile(z, [0.1, 0.9])
phi = float(np.mean(np.clip(z, lo, hi) ** 2))
w = 4 * n
tau2 = max(0.0, (len(z) * phi - (len(z) - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))

print("method,label,numerator,denominator,lower95,upper95,lower998,upper998")
for (label, xi, ni) in units:
    row = [exact(0.025, ni), exact(0.975, ni), exact(0.001, ni), exact(0.999, ni)]
    print("exact," + ",".join([label, str(xi), str(ni)] + [repr(float(v)) for v in row]))
for (label, xi, ni) in units:
    s = math.sqrt(1 / (4 * ni) + tau2)
    row = []
    for level, sign in ((0.95, -1), (0.95, 1), (0.998, -1), (0.998, 1)):
        zc = stats.norm.ppf(1 - (1 - level) / 2)
        y = min(max(t + sign * zc * s, 0.0), math.pi / 2)
        row.append(math.sin(y) ** 2)
    print("overdispersed," + ",".join([label, str(xi), str(ni)] + [repr(float(v)) for v in row]))
