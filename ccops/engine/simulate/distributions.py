"""Service-time and patience distributions for the simulation, estimated from call records.

Service times
-------------
A :class:`ServiceDistribution` describes the *shape* of the handle-time
distribution of a queue; its scale is the interval's AHT, so the simulation
takes the same AHT per interval as Erlang C and Erlang A do and only the
shape differs. Three shapes:

* ``exponential`` (Erlang's assumption);
* ``lognormal`` with log-standard deviation ``sigma``: Brown et al. (2005,
  section 5) found the service times of this very call center lognormal;
  :func:`fit_lognormal_service` estimates ``sigma`` by maximum likelihood
  (the standard deviation of the log service times);
* ``empirical``: the observed service times divided by their mean, resampled
  (a bootstrap of the shape).

Patience
--------
A caller's patience is only seen when they abandon: a served caller's wait
is a lower bound on their patience (right-censored). :func:`kaplan_meier`
is the product-limit estimate of the patience survival function from such
data (Kaplan and Meier 1958), as Brown et al. (2005, section 6) and
Mandelbaum and Zeltyn (2013) estimate the patience of these callers.
:class:`PatienceDistribution` keeps the estimated distribution function on
its support; beyond the largest observed time the remaining mass has an
exponential tail whose rate is the censored-exponential MLE (abandonments
over total exposure) of the observations in the last tenth of the support,
so no caller is infinitely patient unless the data say so (``inf`` mean).

References
----------
* E. L. Kaplan, P. Meier (1958), *Nonparametric estimation from incomplete
  observations*, JASA 53, 457-481.
* L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn, L. Zhao
  (2005), *Statistical analysis of a telephone call center: a queueing-science
  perspective*, JASA 100, 36-50.
* A. Mandelbaum, S. Zeltyn (2013), *Data-stories about (im)patient customers
  in tele-queues*, Queueing Systems 75, 115-146.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccops.engine.queueing._args import as_float_array, check_range

SERVICE_KINDS = ("exponential", "lognormal", "empirical")
PATIENCE_KINDS = ("exponential", "table")


@dataclass(frozen=True)
class ServiceDistribution:
    """Shape of the service-time distribution (mean 1; scaled by the interval's AHT).

    Build with :meth:`exponential`, :meth:`lognormal` or :meth:`empirical`
    (or :func:`fit_lognormal_service` from data).
    """

    kind: str
    sigma: float = 0.0  # lognormal log-standard deviation
    sample: np.ndarray = field(default_factory=lambda: np.zeros(0))  # empirical, mean 1
    #: After-call work: seconds an agent stays unavailable after each call (resampled;
    #: empty = none). Not part of the handle time the AHT describes.
    after_call_seconds: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: After-call work that depends on the queue: ``((from_waiting, seconds), ...)``, the
    #: band with the largest ``from_waiting`` at most the number of callers waiting when
    #: the call ends is drawn from (the first band below its threshold). Empty: none.
    after_call_by_waiting: tuple = ()

    def with_after_call(self, after_call_seconds) -> ServiceDistribution:
        """The same shape with an empirical after-call work distribution (seconds)."""
        x = as_float_array("after_call_seconds", after_call_seconds).ravel()
        check_range("after_call_seconds", x, low=0.0)
        return ServiceDistribution(self.kind, self.sigma, self.sample, np.sort(x))

    def with_after_call_by_waiting(self, bands) -> ServiceDistribution:
        """The same shape with after-call work drawn, at the end of each call, from the
        empirical distribution of the band of callers then waiting for the agent's group.

        ``bands`` maps the smallest number of callers waiting of each band to its
        after-call seconds, e.g. ``{1: gaps_1, 2: gaps_2, 3: gaps_3_4, 5: gaps_5_8,
        9: gaps_9_up}``; fewer waiting than the smallest key takes the first band. A
        queue-dependent after-call work needs the event loop (several queues or classes,
        or none of the FCFS path's conditions): the simulation takes it there.
        """
        if not isinstance(bands, dict) or not bands:
            raise ValueError("after_call_by_waiting: a non-empty mapping of band -> seconds")
        out = []
        for key in sorted(bands):
            if not isinstance(key, int | np.integer) or isinstance(key, bool) or key < 0:
                raise ValueError(
                    f"after_call_by_waiting: band keys are callers waiting (0 or more); got {key!r}"
                )
            x = as_float_array(f"after_call_by_waiting[{key}]", bands[key]).ravel()
            check_range(f"after_call_by_waiting[{key}]", x, low=0.0)
            if x.size == 0:
                raise ValueError(f"after_call_by_waiting[{key}]: no seconds")
            out.append((int(key), np.sort(x)))
        return ServiceDistribution(self.kind, self.sigma, self.sample, np.zeros(0), tuple(out))

    @classmethod
    def exponential(cls) -> ServiceDistribution:
        return cls("exponential")

    @classmethod
    def lognormal(cls, sigma: float) -> ServiceDistribution:
        s = float(check_range("sigma", as_float_array("sigma", sigma), low=0.0, low_open=True))
        return cls("lognormal", sigma=s)

    @classmethod
    def lognormal_cv(cls, cv: float) -> ServiceDistribution:
        """The lognormal of coefficient of variation ``cv`` (``sigma`` from
        :func:`lognormal_sigma`)."""
        return cls.lognormal(lognormal_sigma(cv))

    @classmethod
    def empirical(cls, service_seconds) -> ServiceDistribution:
        x = as_float_array("service_seconds", service_seconds).ravel()
        check_range("service_seconds", x, low=0.0, low_open=True)
        if x.size < 2:
            raise ValueError(f"service_seconds needs at least 2 values; got {x.size}")
        return cls("empirical", sample=np.sort(x / x.mean()))

    @property
    def cv(self) -> float:
        """Coefficient of variation (standard deviation / mean)."""
        if self.kind == "exponential":
            return 1.0
        if self.kind == "lognormal":
            return float(np.sqrt(np.expm1(self.sigma**2)))
        return float(self.sample.std())

    def describe(self) -> str:
        if self.kind == "lognormal":
            text = f"lognormal (sigma {self.sigma:.3f}, CV {self.cv:.2f})"
        elif self.kind == "empirical":
            text = f"empirical ({self.sample.size:,} times, CV {self.cv:.2f})"
        else:
            text = "exponential"
        if self.after_call_seconds.size:
            a = self.after_call_seconds
            text += f", after-call work mean {a.mean():.0f} s (median {np.median(a):.0f} s)"
        if self.after_call_by_waiting:
            keys = [k for k, _ in self.after_call_by_waiting]
            parts = []
            for i, (k, a) in enumerate(self.after_call_by_waiting):
                label = (
                    f"{k}+"
                    if i == len(keys) - 1
                    else (f"{k}" if keys[i + 1] == k + 1 else f"{k}-{keys[i + 1] - 1}")
                )
                parts.append(f"{label} waiting {a.mean():.0f} s")
            text += ", after-call work by callers waiting: mean " + ", ".join(parts)
        return text


def lognormal_sigma(cv: float) -> float:
    """Log-standard deviation of the lognormal with coefficient of variation ``cv``:
    ``CV^2 = exp(sigma^2) - 1``, so ``sigma = sqrt(log(1 + CV^2))`` (CV 1: sigma 0.83)."""
    c = float(check_range("cv", as_float_array("cv", cv), low=0.0, low_open=True))
    return float(np.sqrt(np.log1p(c * c)))


def fit_lognormal_service(service_seconds) -> ServiceDistribution:
    """Lognormal shape fitted by maximum likelihood (sigma = std of log service times)."""
    x = as_float_array("service_seconds", service_seconds).ravel()
    check_range("service_seconds", x, low=0.0, low_open=True)
    if x.size < 2:
        raise ValueError(f"service_seconds needs at least 2 values; got {x.size}")
    return ServiceDistribution.lognormal(float(np.log(x).std()))


@dataclass(frozen=True)
class KaplanMeier:
    """Product-limit estimate: survival ``S(t)`` just after each distinct event time."""

    times: np.ndarray  # distinct event (abandonment) times, increasing
    survival: np.ndarray  # S(times[i]) (right-continuous step function)
    at_risk: np.ndarray  # number at risk just before times[i]
    events: np.ndarray  # events at times[i]

    def __call__(self, t) -> np.ndarray:
        """``S(t)`` for each ``t``."""
        t = np.asarray(t, dtype=float)
        i = np.searchsorted(self.times, t, side="right")
        s = np.concatenate([[1.0], self.survival])
        return s[i]


def kaplan_meier(times, observed) -> KaplanMeier:
    """Kaplan-Meier survival estimate from right-censored times.

    Parameters
    ----------
    times : array_like
        Time of each subject: the patience when ``observed`` (an abandonment),
        a lower bound on it otherwise (a served caller's wait).
    observed : array_like of bool
        True where the event (abandonment) was seen.

    Returns
    -------
    KaplanMeier
        ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)`` over the distinct event
        times ``t_i`` with ``d_i`` events and ``n_i`` subjects at risk (time
        ``>= t_i``). A subject censored at ``t_i`` is at risk at ``t_i``.
    """
    t = as_float_array("times", times).ravel()
    check_range("times", t, low=0.0)
    obs = np.asarray(observed, dtype=bool).ravel()
    if obs.shape != t.shape:
        raise ValueError(f"observed must have one flag per time; got {obs.size} for {t.size}")
    if not obs.any():
        raise ValueError("observed: no event (abandonment), so patience cannot be estimated")
    order = np.argsort(t, kind="stable")
    t, obs = t[order], obs[order]
    event_times, first = np.unique(t[obs], return_index=True)
    d = np.diff(np.append(first, obs.sum()))
    # At risk at time u: subjects with time >= u.
    n = t.size - np.searchsorted(t, event_times, side="left")
    surv = np.cumprod(1.0 - d / n)
    return KaplanMeier(event_times, surv, n.astype(np.int64), d.astype(np.int64))


@dataclass(frozen=True)
class PatienceDistribution:
    """Callers' patience: exponential (mean, ``inf`` = never abandon) or a tabulated CDF.

    ``times``/``cdf`` tabulate ``F(t) = 1 - S(t)`` at the Kaplan-Meier event
    times (``F`` jumps there); ``tail_rate`` is the exponential hazard beyond
    the last time (0: the remaining callers never abandon).
    """

    kind: str
    mean_seconds: float = float("inf")
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cdf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    tail_rate: float = 0.0

    @classmethod
    def exponential(cls, mean_seconds: float) -> PatienceDistribution:
        m = float(
            check_range(
                "patience_seconds",
                as_float_array("patience_seconds", mean_seconds, allow_inf=True),
                low=0.0,
                low_open=True,
            )
        )
        return cls("exponential", mean_seconds=m)

    @classmethod
    def from_kaplan_meier(cls, km: KaplanMeier, *, tail_rate: float) -> PatienceDistribution:
        rate = float(check_range("tail_rate", as_float_array("tail_rate", tail_rate), low=0.0))
        cdf = 1.0 - km.survival
        # Mean: area under S on the support plus the exponential tail.
        edges = np.concatenate([[0.0], km.times])
        s_before = np.concatenate([[1.0], km.survival])
        area = float(np.sum(np.diff(edges) * s_before[:-1]))
        tail = km.survival[-1] / rate if rate > 0 else (np.inf if km.survival[-1] > 0 else 0.0)
        return cls("table", mean_seconds=area + tail, times=km.times, cdf=cdf, tail_rate=rate)

    def survival(self, t) -> np.ndarray:
        """``P(patience > t)``."""
        t = np.asarray(t, dtype=float)
        if self.kind == "exponential":
            return np.exp(-t / self.mean_seconds)
        i = np.searchsorted(self.times, t, side="right")
        s = np.concatenate([[1.0], 1.0 - self.cdf])[i]
        last = self.times[-1]
        beyond = t > last
        return np.where(beyond, s * np.exp(-self.tail_rate * (t - last)), s)

    def describe(self) -> str:
        if self.kind == "exponential":
            return f"exponential (mean {self.mean_seconds:.0f} s)"
        return (
            f"Kaplan-Meier ({self.times.size:,} event times, mean {self.mean_seconds:.0f} s, "
            f"{100 * self.survival(60.0):.0f} % wait 60 s)"
        )


def fit_patience(wait_seconds, abandoned) -> PatienceDistribution:
    """Patience from waits with censoring: Kaplan-Meier plus an exponential tail.

    ``wait_seconds`` of the calls that queued or were answered at once;
    ``abandoned`` True where the caller hung up (their wait *is* their
    patience), False where they were served (their wait is a lower bound).
    """
    w = as_float_array("wait_seconds", wait_seconds).ravel()
    ab = np.asarray(abandoned, dtype=bool).ravel()
    km = kaplan_meier(w, ab)
    last = km.times[-1]
    recent = w >= 0.9 * last
    exposure = float(np.sum(np.maximum(w[recent] - 0.9 * last, 0.0)))
    events = int(np.sum(ab & recent))
    if exposure <= 0 or events == 0:
        exposure, events = float(w.sum()), int(ab.sum())
    rate = events / exposure if exposure > 0 else 0.0
    return PatienceDistribution.from_kaplan_meier(km, tail_rate=rate)
