"""Discrete-event simulation of a call center: the check of a staffing plan.

The model
---------
Queues ``q`` (call types) and agent groups ``g`` (skill sets), on consecutive
intervals of ``interval_minutes``:

* **Arrivals**: a Poisson process whose rate is constant within an interval,
  ``calls[q, t]`` per interval (or, with ``arrivals="fixed"``, exactly that
  many calls at uniformly random times: the Poisson process given its count).
* **Service**: a call of interval ``t`` keeps an agent for ``aht[q, t] * S``
  plus the after-call work, ``S`` of mean 1 drawn from the queue's shape:
  exponential (Erlang's assumption), lognormal (Brown et al. 2005 found this
  center's service times lognormal) or the empirical distribution.
* **Patience**: each caller hangs up after a patience drawn from the queue's
  distribution unless answered first: exponential (Erlang A) or the
  Kaplan-Meier estimate from censored waits, a served caller's wait being a
  lower bound on their patience (Brown et al. 2005, section 6; Mandelbaum and
  Zeltyn 2013).
* **Agents**: ``agents[g, t]`` present per group and interval, fractions
  allowed, from a staffing vector or a schedule with its breaks taken out. A
  fall sends idle agents home first; a busy one finishes the call.
* **Queue discipline**: first come, first served within a queue, priority
  classes moved ahead by an advance (Anonymous Bank: 90 s) or strictly.
* **Routing** (several skills): an arriving call goes to an idle agent of the
  group with the fewest skills among those serving its queue (specialists
  before generalists, then group order); a freed agent takes the waiting call
  with the smallest ``arrival - advance`` among its group's queues.
* **Queue state** carries over from one interval into the next; the horizon
  is simulated as one run, and calls waiting at its end are served by the last
  interval's agents.

Replications are independent runs of the whole horizon; every figure comes
with a t confidence interval over them. The kernels are compiled with numba
(:mod:`ccops.engine.simulate._kernel`): the queues that have their own agents
and one class are settled call by call by the FCFS recursion (a call's start
is the earliest time a server is free; Kiefer and Wolfowitz 1955), everything
else by an event loop with a heap of completions.

Sources
-------
* L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn, L. Zhao
  (2005), *Statistical analysis of a telephone call center: a queueing-science
  perspective*, JASA 100, 36-50.
* A. Mandelbaum, S. Zeltyn (2013), *Data-stories about (im)patient customers
  in tele-queues*, Queueing Systems 75, 115-146.
* E. L. Kaplan, P. Meier (1958), *Nonparametric estimation from incomplete
  observations*, JASA 53, 457-481.
* J. Kiefer, J. Wolfowitz (1955), *On the theory of queues with many servers*,
  Trans. AMS 78, 1-18.
* G. Koole (2013), *Call Center Optimization*, MG books, chapter on simulation.

How it is checked against Erlang C, Erlang A and the real Anonymous Bank
records: ``docs/simulation.md``.
"""

from ccops.engine.simulate.core import Estimate, SimulationResult, simulate
from ccops.engine.simulate.distributions import (
    KaplanMeier,
    PatienceDistribution,
    ServiceDistribution,
    fit_lognormal_service,
    fit_patience,
    kaplan_meier,
    lognormal_sigma,
)
from ccops.engine.simulate.staffing import (
    SimulatedCandidate,
    SimulatedStaffing,
    required_agents_simulated,
)

__all__ = [
    "Estimate",
    "KaplanMeier",
    "PatienceDistribution",
    "ServiceDistribution",
    "SimulatedCandidate",
    "SimulatedStaffing",
    "SimulationResult",
    "fit_lognormal_service",
    "fit_patience",
    "kaplan_meier",
    "lognormal_sigma",
    "required_agents_simulated",
    "simulate",
]
