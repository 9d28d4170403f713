"""Independent high-precision references for the staffing tests (mpmath, 40+ digits).

Nothing here shares code or method with ``opsfirst.staffing``:

* Erlang B comes from its definition, the Poisson probability of n over the Poisson
  distribution function, through mpmath's incomplete gamma function (the library uses the
  float64 recursion);
* required agents come from a bisection over that exact service level (the library walks
  the recursion upwards);
* Erlang A comes from a truncated birth-death chain summed state by state, with each
  waiting caller's chance of an answer within t from the hypoexponential distribution of its
  virtual wait (the library uses a closed form through the incomplete gamma function).
"""

from __future__ import annotations

import mpmath as mp

DPS = 40


def erlang_b(n: int, a: float) -> mp.mpf:
    """B(n, a) = (a^n e^-a / n!) / P(Poisson(a) <= n)."""
    with mp.workdps(DPS):
        n, a = int(n), mp.mpf(a)
        if a == 0:
            return mp.mpf(1 if n == 0 else 0)
        log_pmf = n * mp.log(a) - a - mp.loggamma(n + 1)
        return mp.exp(log_pmf) / mp.gammainc(n + 1, a, mp.inf, regularized=True)


def erlang_c(n: int, a: float) -> mp.mpf:
    """P(wait), for n > a."""
    with mp.workdps(DPS):
        b = erlang_b(n, a)
        return n * b / (n - mp.mpf(a) * (1 - b))


def service_level(n: int, a: float, aht: float, t: float) -> mp.mpf:
    with mp.workdps(DPS):
        return 1 - erlang_c(n, a) * mp.exp(-(n - mp.mpf(a)) * mp.mpf(t) / mp.mpf(aht))


def asa(n: int, a: float, aht: float) -> mp.mpf:
    with mp.workdps(DPS):
        return erlang_c(n, a) * mp.mpf(aht) / (n - mp.mpf(a))


def agents_required(a: float, aht: float, t: float, target: float) -> int:
    """Smallest n > a with service level >= target, by bisection on the exact value."""
    lo = int(mp.floor(a))  # never enough: no steady state
    hi = lo + 1
    while service_level(hi, a, aht, t) < target:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if service_level(mid, a, aht, t) >= target:
            hi = mid
        else:
            lo = mid
    return hi


def erlang_a_chain(n: int, calls: float, aht: float, patience: float, t: float,
                   interval: float = 1800, dps: int = 60) -> dict[str, mp.mpf]:
    """Erlang A (M/M/n+M) from its birth-death chain, truncated where the tail is < 1e-45.

    Returns p_wait, p_abandon, service_level (answered within t / offered),
    average_speed_of_answer (mean wait of answered calls), occupancy.
    """
    with mp.workdps(dps):
        lam = mp.mpf(calls) / interval
        mu = 1 / mp.mpf(aht)
        theta = 1 / mp.mpf(patience)
        # State probabilities, unnormalised, state 0 = 1.
        weights = [mp.mpf(1)]
        k = 0
        while True:
            k += 1
            death = min(k, n) * mu + max(k - n, 0) * theta
            weights.append(weights[-1] * lam / death)
            if k > n + 5 and weights[-1] < mp.mpf(10) ** -45 * sum(weights):
                break
        total = sum(weights)
        p = [w / total for w in weights]
        p_wait = sum(p[n:])
        queue = sum((k - n) * p[k] for k in range(n, len(p)))
        p_abandon = theta * queue / lam
        within, mean = _tagged_caller(n * mu, theta, len(p) - n, mp.mpf(t))
        served_within = sum(p[:n]) + sum(p[n + j] * within[j] for j in range(len(p) - n))
        wait_answered = sum(p[n + j] * mean[j] for j in range(len(p) - n))
        p_answered = 1 - p_abandon
        return dict(
            p_wait=p_wait,
            p_abandon=p_abandon,
            service_level=served_within,
            average_speed_of_answer=wait_answered / p_answered,
            occupancy=lam * p_answered / (n * mu),
        )


def _tagged_caller(service_rate, theta, states, t):
    """For a caller with j callers ahead (j < states): P(answered within t) and
    E[wait; answered].

    With i callers ahead the caller moves up at rate r_i = service_rate + i theta and hangs
    up at rate theta. E[wait; answered] comes from first-step analysis; P(answered within t)
    from uniformisation of that little chain (sums of positive terms only).
    """
    rates = [service_rate + i * theta for i in range(states)]
    # First-step analysis: g = P(answered), m = E[wait; answered].
    g_prev, m_prev = mp.mpf(1), mp.mpf(0)
    mean = []
    for r in rates:
        q = r + theta
        g, m = r / q * g_prev, r / q * (g_prev / q + m_prev)
        mean.append(m)
        g_prev, m_prev = g, m
    # Uniformisation at rate L: h_k[i] = P(answered within k jumps | i ahead).
    big = rates[-1] + theta
    lt = big * t
    h = [mp.mpf(0)] * states
    weight = mp.exp(-lt)  # Poisson(k; L t) for k = 0
    within = [mp.mpf(0)] * states
    k, cumulative = 0, weight
    while True:
        h = [(rates[i] / big) * (h[i - 1] if i else mp.mpf(1)) + (1 - (rates[i] + theta) / big) * h[i]
             for i in range(states)]
        k += 1
        weight *= lt / k
        cumulative += weight
        within = [w + weight * hi for w, hi in zip(within, h)]
        if k > lt and 1 - cumulative < mp.mpf(10) ** -(DPS - 5):
            return within, mean
