"""An independent, literal reading of the SPC section of shared/spec/flight-deck.md
(NHSRplotthedots 0.2.2 rules), used to cross-check `soteria spc` on random and adversarial
series. Pure standard library. Input (stdin): JSON list of cases
{"values": [...], "baseline": N|null, "screen": bool, "polarity": "up"|"down"|"neutral"};
output (stdout): JSON list of {"mean", "lpl", "upl", "rule": [...], "point_type": [...]}.
"""
import json
import sys


def xmr(values, baseline=None, screen=True, polarity="neutral"):
    n = len(values)
    b = n if baseline is None else min(max(baseline, 1), n)
    base = values[:b]
    mean = sum(base) / b
    mrs = [abs(base[i] - base[i - 1]) for i in range(1, b)]
    amr = None
    if mrs:
        amr = sum(mrs) / len(mrs)
        if screen and amr > 0:
            kept = [m for m in mrs if m < 3.267 * amr]
            amr = sum(kept) / len(kept)
    if amr is None:
        lpl = upl = nlpl = nupl = None
    else:
        lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
        nlpl, nupl = mean - (2 / 3) * 2.66 * amr, mean + (2 / 3) * 2.66 * amr
    r = [1 if x > mean else -1 if x < mean else 0 for x in values]
    outside = [upl is not None and (x > upl or x < lpl) for x in values]
    close = [not outside[i] and upl is not None and (values[i] > nupl or values[i] < nlpl) for i in range(n)]

    shift = [False] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and r[j + 1] == r[i]:
            j += 1
        if r[i] != 0 and j - i + 1 >= 7:
            for k in range(i, j + 1):
                shift[k] = True
        i = j + 1

    runs = []
    for direction, step in (("high", lambda a, b: b > a), ("low", lambda a, b: b < a)):
        i = 0
        while i < n:
            j = i
            while j + 1 < n and step(values[j], values[j + 1]):
                j += 1
            if j - i + 1 >= 7:
                runs.append((i, j, direction))
            i = j + 1
    part = [False] * n
    for i, j, _ in runs:
        for k in range(i, j + 1):
            part[k] = True
    # A trend point's direction is the step to the next point when that point is part
    # of a trend too, else the step from the point before (NHSRplotthedots 0.2.2,
    # ptd_special_cause_type); a step that is not a rise reads as a fall.
    trend = [None] * n
    for k in range(n):
        if part[k]:
            if k + 1 < n and part[k + 1]:
                rises = values[k + 1] > values[k]
            else:
                rises = k > 0 and values[k] > values[k - 1]
            trend[k] = "high" if rises else "low"

    two = [False] * n
    for w in range(n - 2):
        s = r[w]
        if s != 0 and r[w + 1] == s and r[w + 2] == s and sum(close[w:w + 3]) >= 2:
            for k in range(w, w + 3):
                if close[k]:
                    two[k] = True

    rules, types = [], []
    for i in range(n):
        side = "high" if r[i] > 0 else "low" if r[i] < 0 else None
        if outside[i]:
            rule, d = "outside", side
        elif trend[i]:
            rule, d = "trend", trend[i]
        elif two[i]:
            rule, d = "two_in_three", side
        elif shift[i]:
            rule, d = "shift", side
        else:
            rule, d = "none", None
        if rule == "none" or d is None:
            t = "common_cause"
        elif polarity == "neutral":
            t = "neutral_" + d
        elif (polarity == "up") == (d == "high"):
            t = "improvement"
        else:
            t = "concern"
        rules.append(rule)
        types.append(t)
    return {"mean": mean, "lpl": lpl, "upl": upl, "rule": rules, "point_type": types}


if __name__ == "__main__":
    cases = json.load(sys.stdin)
    out = [xmr(c["values"], c.get("baseline"), c.get("screen", True), c.get("polarity", "neutral")) for c in cases]
    json.dump(out, sys.stdout)
